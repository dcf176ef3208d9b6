"""Idempotency keys of the invitation API: the answer of a call that carried one, kept 24 hours
for its API key, so that a repeated call answers it again and makes nothing

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 13:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'api_idempotency',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('api_key_id', sa.Integer(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=200), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('status', sa.SmallInteger(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('status >= 200 AND status < 300',
                           name=op.f('ck_api_idempotency_status_success')),
        sa.ForeignKeyConstraint(['api_key_id'], ['invitation_api_key.id'],
                                name=op.f('fk_api_idempotency_api_key_id_invitation_api_key')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_idempotency')),
        sa.UniqueConstraint('api_key_id', 'idempotency_key',
                            name=op.f('uq_api_idempotency_api_key_id_idempotency_key')))
    op.create_index(op.f('ix_api_idempotency_created_at'), 'api_idempotency', ['created_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_api_idempotency_created_at'), table_name='api_idempotency')
    op.drop_table('api_idempotency')
