"""Rollups: sufficient statistics per unit and local month, filled from the stored responses

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 12:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
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


def fill_from_responses() -> None:
    """Compute every unit-month from the responses a person has not excluded."""
    dialect = op.get_bind().dialect.name
    month = ("date(submitted_on, 'start of month')" if dialect == 'sqlite'
             else "CAST(date_trunc('month', submitted_on) AS date)")
    total = ' + '.join(f'u{e}' for e in ELEMENTS)
    names = ['n', *(f's{e}' for e in ELEMENTS),
             *(f'c{e}_{v}' for e in ELEMENTS for v in VALUES), 't', 't2']
    values = ['count(*)', *(f'sum(u{e})' for e in ELEMENTS),
              *(f'sum(CASE WHEN u{e} = {v} THEN 1 ELSE 0 END)' for e in ELEMENTS for v in VALUES),
              f'sum({total})', f'sum(({total}) * ({total}))']
    op.execute(
        f"INSERT INTO rollup_month (unit_id, month, {', '.join(names)}, updated_at) "
        f"SELECT unit_id, {month}, {', '.join(values)}, CURRENT_TIMESTAMP FROM response "
        f"WHERE NOT excluded GROUP BY unit_id, {month}")


def upgrade() -> None:
    op.create_table(
        'rollup_month',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        *statistic_columns(),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_rollup_month_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('unit_id', 'month', name=op.f('pk_rollup_month')))
    op.create_index('ix_rollup_month_month', 'rollup_month', ['month'], unique=False)
    op.create_index('ix_rollup_month_updated_at', 'rollup_month', ['updated_at'], unique=False)
    fill_from_responses()


def downgrade() -> None:
    op.drop_index('ix_rollup_month_updated_at', 'rollup_month')
    op.drop_index('ix_rollup_month_month', 'rollup_month')
    op.drop_table('rollup_month')
