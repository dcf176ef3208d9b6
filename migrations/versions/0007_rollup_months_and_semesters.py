"""One rollup table of months and semesters: rollup_month becomes rollup (unit, months, starts_on)
with a row per unit and month (months = 1) and per unit and semester (months = 6), so that a
semester or a year reads one or two rows a unit; an index holds what a ranking reads

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 19:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

ELEMENTS = range(1, 10)
VALUES = range(1, 5)
NAMES = ['n', *(f's{e}' for e in ELEMENTS), *(f'c{e}_{v}' for e in ELEMENTS for v in VALUES),
         't', 't2']


def statistic_columns() -> list[sa.Column]:
    return [sa.Column('n', sa.Integer(), nullable=False),
            *(sa.Column(f's{e}', sa.Integer(), nullable=False) for e in ELEMENTS),
            *(sa.Column(f'c{e}_{v}', sa.Integer(), nullable=False) for e in ELEMENTS for v in VALUES),
            sa.Column('t', sa.BigInteger(), nullable=False),
            sa.Column('t2', sa.BigInteger(), nullable=False)]


def semester_of(month: str) -> str:
    """Return the SQL of the first day of the semester of a first-of-month date column."""
    if op.get_bind().dialect.name == 'sqlite':
        return (f"CASE WHEN CAST(strftime('%m', {month}) AS INTEGER) < 7 "
                f"THEN date({month}, 'start of year') "
                f"ELSE date({month}, 'start of year', '+6 months') END")
    return (f"make_date(CAST(extract(year FROM {month}) AS integer), "
            f"CASE WHEN extract(month FROM {month}) < 7 THEN 1 ELSE 7 END, 1)")


def upgrade() -> None:
    op.create_table(
        'rollup',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('months', sa.SmallInteger(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        *statistic_columns(),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('months IN (1, 6)', name=op.f('ck_rollup_months')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_rollup_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('unit_id', 'months', 'starts_on', name=op.f('pk_rollup')))
    columns = ', '.join(NAMES)
    op.execute(f"INSERT INTO rollup (unit_id, months, starts_on, {columns}, updated_at) "
               f"SELECT unit_id, 1, month, {columns}, updated_at FROM rollup_month")
    semester = semester_of('month')
    op.execute(f"INSERT INTO rollup (unit_id, months, starts_on, {columns}, updated_at) "
               f"SELECT unit_id, 6, {semester}, {', '.join(f'sum({n})' for n in NAMES)}, "
               f"max(updated_at) FROM rollup_month GROUP BY unit_id, {semester}")
    op.create_index('ix_rollup_totals', 'rollup',
                    ['months', 'starts_on', 'unit_id', 'n', 't', 't2'])
    op.create_index('ix_rollup_updated_at', 'rollup', ['updated_at'])
    op.drop_index('ix_rollup_month_updated_at', 'rollup_month')
    op.drop_index('ix_rollup_month_month', 'rollup_month')
    op.drop_table('rollup_month')


def downgrade() -> None:
    op.create_table(
        'rollup_month',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        *statistic_columns(),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_rollup_month_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('unit_id', 'month', name=op.f('pk_rollup_month')))
    columns = ', '.join(NAMES)
    op.execute(f"INSERT INTO rollup_month (unit_id, month, {columns}, updated_at) "
               f"SELECT unit_id, starts_on, {columns}, updated_at FROM rollup WHERE months = 1")
    op.create_index('ix_rollup_month_month', 'rollup_month', ['month'])
    op.create_index('ix_rollup_month_updated_at', 'rollup_month', ['updated_at'])
    op.drop_index('ix_rollup_updated_at', 'rollup')
    op.drop_index('ix_rollup_totals', 'rollup')
    op.drop_table('rollup')
