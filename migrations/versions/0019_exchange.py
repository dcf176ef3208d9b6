"""Exchange of figures between SUARA servers: exchange_source (a trusted server's name and
Ed25519 public key), exchange_unit (a unit received from it: local unit -> its id there),
exchange_month (the package whose figures a received unit's month holds)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 09:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'exchange_source',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('public_key', sa.String(length=64), nullable=False),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('server_id', sa.String(length=80), nullable=True),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_package_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['created_by'], ['app_user.id'],
                                name=op.f('fk_exchange_source_created_by_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_source')),
        sa.UniqueConstraint('name', name=op.f('uq_exchange_source_name')),
        sa.UniqueConstraint('public_key', name=op.f('uq_exchange_source_public_key')),
        sa.UniqueConstraint('key_id', name=op.f('uq_exchange_source_key_id')))
    op.create_table(
        'exchange_unit',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), nullable=False),
        sa.Column('remote_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.ForeignKeyConstraint(['source_id'], ['exchange_source.id'],
                                name=op.f('fk_exchange_unit_source_id_exchange_source')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_exchange_unit_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_exchange_unit')),
        sa.UniqueConstraint('source_id', 'remote_id',
                            name=op.f('uq_exchange_unit_source_id_remote_id')))
    op.create_table(
        'exchange_month',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('package_sequence', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['unit_id'], ['exchange_unit.unit_id'],
                                name=op.f('fk_exchange_month_unit_id_exchange_unit')),
        sa.PrimaryKeyConstraint('unit_id', 'starts_on', name=op.f('pk_exchange_month')))


def downgrade() -> None:
    op.drop_table('exchange_month')
    op.drop_table('exchange_unit')
    op.drop_table('exchange_source')
