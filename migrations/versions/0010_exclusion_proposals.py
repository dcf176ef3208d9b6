"""Exclusion proposals: an answer leaves (or re-enters) the index only when an account above its
unit approves a proposal naming a reason; response records who flagged it by hand, and when

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

OPEN = sa.text('decision IS NULL')


def upgrade() -> None:
    with op.batch_alter_table('response') as batch_op:
        batch_op.add_column(sa.Column('flagged_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(op.f('fk_response_flagged_by_app_user'), 'app_user',
                                    ['flagged_by'], ['id'])
    op.create_table(
        'exclusion_proposal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('response_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('action', sa.String(length=8), nullable=False),
        sa.Column('reason', sa.String(length=16), nullable=False),
        sa.Column('text', sa.String(length=500), nullable=False),
        sa.Column('proposed_by', sa.Integer(), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision', sa.String(length=8), nullable=True),
        sa.Column('decision_note', sa.String(length=500), nullable=True),
        sa.CheckConstraint("action IN ('exclude', 'restore')",
                           name=op.f('ck_exclusion_proposal_action')),
        sa.CheckConstraint("reason IN ('duplicate', 'test_entry', 'out_of_service', 'scripted')",
                           name=op.f('ck_exclusion_proposal_reason')),
        sa.CheckConstraint("decision IS NULL OR decision IN ('approved', 'refused')",
                           name=op.f('ck_exclusion_proposal_decision')),
        sa.CheckConstraint("(decision IS NULL AND decided_by IS NULL AND decided_at IS NULL)"
                           " OR (decision IS NOT NULL AND decided_by IS NOT NULL"
                           " AND decided_at IS NOT NULL AND decided_by <> proposed_by)",
                           name=op.f('ck_exclusion_proposal_decided')),
        sa.ForeignKeyConstraint(['response_id'], ['response.id'],
                                name=op.f('fk_exclusion_proposal_response_id_response')),
        sa.ForeignKeyConstraint(['proposed_by'], ['app_user.id'],
                                name=op.f('fk_exclusion_proposal_proposed_by_app_user')),
        sa.ForeignKeyConstraint(['decided_by'], ['app_user.id'],
                                name=op.f('fk_exclusion_proposal_decided_by_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exclusion_proposal')))
    op.create_index('ix_exclusion_proposal_response_id', 'exclusion_proposal', ['response_id'])
    op.create_index('uq_exclusion_proposal_open', 'exclusion_proposal', ['response_id'],
                    unique=True, sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    op.drop_index('uq_exclusion_proposal_open', 'exclusion_proposal')
    op.drop_index('ix_exclusion_proposal_response_id', 'exclusion_proposal')
    op.drop_table('exclusion_proposal')
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_constraint(op.f('fk_response_flagged_by_app_user'), type_='foreignkey')
        batch_op.drop_column('flagged_at')
        batch_op.drop_column('flagged_by')
