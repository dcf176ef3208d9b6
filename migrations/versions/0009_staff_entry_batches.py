"""Staff-entered answers: paper and interview sheets are typed in batches (entry_batch, with
scans in entry_batch_scan), each answer names its batch (response.batch_id), and rollup_staff
holds the rollup of staff-entered answers alone, filled from the stored responses

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
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


def span_start(months: int) -> str:
    """Return the SQL of the first day of a response's month (1) or semester (6)."""
    if op.get_bind().dialect.name == 'sqlite':
        if months == 1:
            return "date(submitted_on, 'start of month')"
        return ("CASE WHEN CAST(strftime('%m', submitted_on) AS INTEGER) < 7 "
                "THEN date(submitted_on, 'start of year') "
                "ELSE date(submitted_on, 'start of year', '+6 months') END")
    if months == 1:
        return "CAST(date_trunc('month', submitted_on) AS date)"
    return ("make_date(CAST(extract(year FROM submitted_on) AS integer), "
            "CASE WHEN extract(month FROM submitted_on) < 7 THEN 1 ELSE 7 END, 1)")


def fill_from_responses() -> None:
    """Count every staff-entered response a person has not excluded, as rollup does."""
    total = ' + '.join(f'u{e}' for e in ELEMENTS)
    values = ['count(*)', *(f'sum(u{e})' for e in ELEMENTS),
              *(f'sum(CASE WHEN u{e} = {v} THEN 1 ELSE 0 END)' for e in ELEMENTS for v in VALUES),
              f'sum({total})', f'sum(({total}) * ({total}))']
    for months in (1, 6):
        start = span_start(months)
        op.execute(
            f"INSERT INTO rollup_staff (unit_id, months, starts_on, {', '.join(NAMES)}, "
            f"updated_at) SELECT unit_id, {months}, {start}, {', '.join(values)}, CURRENT_TIMESTAMP "
            f"FROM response WHERE NOT excluded AND channel IN ('paper', 'interview') "
            f"GROUP BY unit_id, {start}")


def upgrade() -> None:
    op.create_table(
        'entry_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('sheet_numbers', sa.String(length=200), nullable=False),
        sa.Column('sheets_declared', sa.Integer(), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("channel IN ('paper', 'interview')",
                           name=op.f('ck_entry_batch_channel')),
        sa.CheckConstraint('first_day <= last_day', name=op.f('ck_entry_batch_days')),
        sa.CheckConstraint('sheets_declared >= 1', name=op.f('ck_entry_batch_sheets')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_entry_batch_unit_id_service_unit')),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'],
                                name=op.f('fk_entry_batch_user_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_batch')))
    op.create_index('ix_entry_batch_unit_id', 'entry_batch', ['unit_id'])
    op.create_table(
        'entry_batch_scan',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('media_type', sa.String(length=40), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['entry_batch.id'],
                                name=op.f('fk_entry_batch_scan_batch_id_entry_batch')),
        sa.ForeignKeyConstraint(['uploaded_by'], ['app_user.id'],
                                name=op.f('fk_entry_batch_scan_uploaded_by_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_batch_scan')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_entry_batch_scan_stored_name')))
    op.create_index('ix_entry_batch_scan_batch_id', 'entry_batch_scan', ['batch_id'])
    with op.batch_alter_table('response') as batch_op:
        batch_op.add_column(sa.Column('batch_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_response_batch_id_entry_batch'), 'entry_batch',
                                    ['batch_id'], ['id'])
        batch_op.create_index('ix_response_batch_id', ['batch_id'])
    op.create_table(
        'rollup_staff',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('months', sa.SmallInteger(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        *statistic_columns(),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('months IN (1, 6)', name=op.f('ck_rollup_staff_months')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_rollup_staff_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('unit_id', 'months', 'starts_on', name=op.f('pk_rollup_staff')))
    op.create_index('ix_rollup_staff_totals', 'rollup_staff',
                    ['months', 'starts_on', 'unit_id', 'n'])
    fill_from_responses()


def downgrade() -> None:
    op.drop_index('ix_rollup_staff_totals', 'rollup_staff')
    op.drop_table('rollup_staff')
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_index('ix_response_batch_id')
        batch_op.drop_constraint(op.f('fk_response_batch_id_entry_batch'), type_='foreignkey')
        batch_op.drop_column('batch_id')
    op.drop_index('ix_entry_batch_scan_batch_id', 'entry_batch_scan')
    op.drop_table('entry_batch_scan')
    op.drop_index('ix_entry_batch_unit_id', 'entry_batch')
    op.drop_table('entry_batch')
