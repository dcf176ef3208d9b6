"""Invitations: single-use codes and personal links (invitation), the invitation an answer used
(response.invitation_id, unique) and rollup_invited, the rollup of invited answers alone

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 07:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

ELEMENTS = range(1, 10)
VALUES = range(1, 5)


def statistic_columns() -> list[sa.Column]:
    return [sa.Column('n', sa.Integer(), nullable=False),
            *(sa.Column(f's{e}', sa.Integer(), nullable=False) for e in ELEMENTS),
            *(sa.Column(f'c{e}_{v}', sa.Integer(), nullable=False) for e in ELEMENTS for v in VALUES),
            sa.Column('t', sa.BigInteger(), nullable=False),
            sa.Column('t2', sa.BigInteger(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        'invitation',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('point_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('issued_by', sa.Integer(), nullable=True),
        sa.CheckConstraint("source IN ('sheet', 'api', 'message')",
                           name=op.f('ck_invitation_source')),
        sa.ForeignKeyConstraint(['point_id'], ['service_point.id'],
                                name=op.f('fk_invitation_point_id_service_point')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_invitation_unit_id_service_unit')),
        sa.ForeignKeyConstraint(['issued_by'], ['app_user.id'],
                                name=op.f('fk_invitation_issued_by_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
        sa.UniqueConstraint('code', name=op.f('uq_invitation_code')))
    op.create_index('ix_invitation_unit_issued', 'invitation', ['unit_id', 'issued_on'])
    op.create_index('ix_invitation_point_issued', 'invitation', ['point_id', 'issued_at'])
    with op.batch_alter_table('response') as batch_op:
        batch_op.add_column(sa.Column('invitation_id', sa.BigInteger().with_variant(
            sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(op.f('fk_response_invitation_id_invitation'), 'invitation',
                                    ['invitation_id'], ['id'])
        batch_op.create_unique_constraint(op.f('uq_response_invitation_id'), ['invitation_id'])
    op.create_table(
        'rollup_invited',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('months', sa.SmallInteger(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        *statistic_columns(),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('months IN (1, 6)', name=op.f('ck_rollup_invited_months')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_rollup_invited_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('unit_id', 'months', 'starts_on', name=op.f('pk_rollup_invited')))
    op.create_index('ix_rollup_invited_totals', 'rollup_invited',
                    ['months', 'starts_on', 'unit_id', 'n'])


def downgrade() -> None:
    op.drop_index('ix_rollup_invited_totals', table_name='rollup_invited')
    op.drop_table('rollup_invited')
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_constraint(op.f('uq_response_invitation_id'), type_='unique')
        batch_op.drop_constraint(op.f('fk_response_invitation_id_invitation'),
                                 type_='foreignkey')
        batch_op.drop_column('invitation_id')
    op.drop_index('ix_invitation_point_issued', table_name='invitation')
    op.drop_index('ix_invitation_unit_issued', table_name='invitation')
    op.drop_table('invitation')
