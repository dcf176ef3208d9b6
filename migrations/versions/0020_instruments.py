"""Zona Integritas surveys asked after the SKM: point_instrument (which of SPKP and SPAK a
service point asks, on 1..4 or 1..6), instrument_answer (a respondent's answers to one of
them), rollup_instrument (their sufficient statistics per unit, month or semester)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

ITEMS = range(1, 9)
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _checks(table: str) -> list:
    return [sa.CheckConstraint("instrument IN ('spkp', 'spak')",
                               name=op.f(f'ck_{table}_instrument')),
            sa.CheckConstraint('scale_max IN (4, 6)', name=op.f(f'ck_{table}_scale_max'))]


def upgrade() -> None:
    op.create_table(
        'point_instrument',
        sa.Column('point_id', sa.Integer(), nullable=False),
        sa.Column('instrument', sa.String(length=8), nullable=False),
        sa.Column('scale_max', sa.SmallInteger(), nullable=False),
        *_checks('point_instrument'),
        sa.ForeignKeyConstraint(['point_id'], ['service_point.id'],
                                name=op.f('fk_point_instrument_point_id_service_point')),
        sa.PrimaryKeyConstraint('point_id', 'instrument', name=op.f('pk_point_instrument')))
    op.create_table(
        'instrument_answer',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('response_id', BIG_ID, nullable=False),
        sa.Column('instrument', sa.String(length=8), nullable=False),
        sa.Column('scale_max', sa.SmallInteger(), nullable=False),
        *(sa.Column(f'a{item}', sa.SmallInteger(), nullable=True) for item in ITEMS),
        *_checks('instrument_answer'),
        *(sa.CheckConstraint(f'a{item} IS NULL OR (a{item} >= 1 AND a{item} <= scale_max)',
                             name=op.f(f'ck_instrument_answer_a{item}_range')) for item in ITEMS),
        sa.ForeignKeyConstraint(['response_id'], ['response.id'],
                                name=op.f('fk_instrument_answer_response_id_response')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument_answer')),
        sa.UniqueConstraint('response_id', 'instrument',
                            name=op.f('uq_instrument_answer_response_id_instrument')))
    op.create_table(
        'rollup_instrument',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('months', sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('instrument', sa.String(length=8), nullable=False),
        sa.Column('scale_max', sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column('n', sa.Integer(), nullable=False),
        *(sa.Column(f's{item}', sa.Integer(), nullable=False) for item in ITEMS),
        sa.Column('t', sa.BigInteger(), nullable=False),
        sa.Column('t2', sa.BigInteger(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('months IN (1, 6)', name=op.f('ck_rollup_instrument_months')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_rollup_instrument_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('unit_id', 'months', 'starts_on', 'instrument', 'scale_max',
                                name=op.f('pk_rollup_instrument')))


def downgrade() -> None:
    op.drop_table('rollup_instrument')
    op.drop_table('instrument_answer')
    op.drop_table('point_instrument')
