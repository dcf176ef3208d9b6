"""Enrolled kiosks and rate windows: kiosk_device (a tablet enrolled at a service point by a
one-time code, known by the keyed hash of its key), response.kiosk_id (the tablet that sent a
kiosk answer), rate_window (submissions per keyed hash of address and browser in a window,
deleted when the window ends)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'kiosk_device',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('point_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=True),
        sa.Column('code_hash', sa.String(length=64), nullable=True),
        sa.Column('code_expires_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('enrolled_by', sa.Integer(), nullable=True),
        sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['enrolled_by'], ['app_user.id'],
                                name=op.f('fk_kiosk_device_enrolled_by_app_user')),
        sa.ForeignKeyConstraint(['point_id'], ['service_point.id'],
                                name=op.f('fk_kiosk_device_point_id_service_point')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_device')),
        sa.UniqueConstraint('code_hash', name=op.f('uq_kiosk_device_code_hash')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_kiosk_device_key_hash')))
    op.create_index(op.f('ix_kiosk_device_point_id'), 'kiosk_device', ['point_id'])
    with op.batch_alter_table('response') as batch:
        batch.add_column(sa.Column('kiosk_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_response_kiosk_id_kiosk_device'), 'kiosk_device',
                                 ['kiosk_id'], ['id'])
    op.create_table(
        'rate_window',
        sa.Column('key_hash', sa.String(length=32), nullable=False),
        sa.Column('window_start', sa.BigInteger(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key_hash', 'window_start', name=op.f('pk_rate_window')))


def downgrade() -> None:
    op.drop_table('rate_window')
    with op.batch_alter_table('response') as batch:
        batch.drop_constraint(op.f('fk_response_kiosk_id_kiosk_device'), type_='foreignkey')
        batch.drop_column('kiosk_id')
    op.drop_index(op.f('ix_kiosk_device_point_id'), table_name='kiosk_device')
    op.drop_table('kiosk_device')
