"""Integrity alerts: a SPAK answer in the lower half of its scale on imbalan, pungli or calo,
one per response and aspect, for the levels above the unit to see and handle

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 10:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
OPEN = "status = 'open'"


def upgrade() -> None:
    op.create_table(
        'integrity_alert',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('response_id', BIG_ID, nullable=False),
        sa.Column('aspect', sa.String(length=8), nullable=False),
        sa.Column('answer', sa.SmallInteger(), nullable=False),
        sa.Column('scale_max', sa.SmallInteger(), nullable=False),
        sa.Column('raised_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('submitted_on', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=8), nullable=False),
        sa.Column('handled_by', sa.Integer(), nullable=True),
        sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.CheckConstraint("aspect IN ('imbalan', 'pungli', 'calo')",
                           name=op.f('ck_integrity_alert_aspect')),
        sa.CheckConstraint("status IN ('open', 'noted', 'handled')",
                           name=op.f('ck_integrity_alert_status')),
        sa.CheckConstraint('answer >= 1 AND answer <= scale_max',
                           name=op.f('ck_integrity_alert_answer_range')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_integrity_alert_unit_id_service_unit')),
        sa.ForeignKeyConstraint(['response_id'], ['response.id'],
                                name=op.f('fk_integrity_alert_response_id_response')),
        sa.ForeignKeyConstraint(['handled_by'], ['app_user.id'],
                                name=op.f('fk_integrity_alert_handled_by_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_alert')),
        sa.UniqueConstraint('response_id', 'aspect',
                            name=op.f('uq_integrity_alert_response_id_aspect')))
    op.create_index('ix_integrity_alert_unit_day', 'integrity_alert',
                    ['unit_id', 'submitted_on'])
    op.create_index('ix_integrity_alert_open', 'integrity_alert', ['unit_id'],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))


def downgrade() -> None:
    op.drop_index('ix_integrity_alert_open', table_name='integrity_alert')
    op.drop_index('ix_integrity_alert_unit_day', table_name='integrity_alert')
    op.drop_table('integrity_alert')
