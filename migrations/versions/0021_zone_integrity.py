"""Zona Integritas status of a unit: unit_zone (which units build a ZI towards WBK or WBBM,
since when, set by whom)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 10:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'unit_zone',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=4), nullable=False),
        sa.Column('since', sa.Date(), nullable=False),
        sa.Column('set_by', sa.Integer(), nullable=True),
        sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('wbk', 'wbbm')", name=op.f('ck_unit_zone_kind')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_unit_zone_unit_id_service_unit')),
        sa.ForeignKeyConstraint(['set_by'], ['app_user.id'],
                                name=op.f('fk_unit_zone_set_by_app_user')),
        sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_zone')))


def downgrade() -> None:
    op.drop_table('unit_zone')
