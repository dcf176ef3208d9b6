"""API keys of service points for invitations: invitation_api_key (a key with which a queue
machine or counter application asks for single-use codes, known by its keyed hash only)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 07:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'invitation_api_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('point_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by'], ['app_user.id'],
                                name=op.f('fk_invitation_api_key_created_by_app_user')),
        sa.ForeignKeyConstraint(['point_id'], ['service_point.id'],
                                name=op.f('fk_invitation_api_key_point_id_service_point')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_api_key')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_invitation_api_key_key_hash')))
    op.create_index(op.f('ix_invitation_api_key_point_id'), 'invitation_api_key', ['point_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_invitation_api_key_point_id'), table_name='invitation_api_key')
    op.drop_table('invitation_api_key')
