"""Accounts (roles bound to a scope) and the audit log

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:12:55.879692
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('region_code', sa.String(length=13), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('api_token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(role = 'admin' AND agency_id IS NULL AND region_code IS NULL AND unit_id IS NULL) OR (role IN ('ministry', 'agency') AND agency_id IS NOT NULL AND region_code IS NULL AND unit_id IS NULL) OR (role = 'region' AND region_code IS NOT NULL AND agency_id IS NULL AND unit_id IS NULL) OR (role = 'unit' AND unit_id IS NOT NULL AND agency_id IS NULL AND region_code IS NULL)", name=op.f('ck_app_user_scope')),
    sa.CheckConstraint("role IN ('admin', 'ministry', 'region', 'agency', 'unit')", name=op.f('ck_app_user_role')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_app_user_agency_id_agency')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_app_user_region_code_region')),
    sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'], name=op.f('fk_app_user_unit_id_service_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('api_token_hash', name=op.f('uq_app_user_api_token_hash')),
    sa.UniqueConstraint('email', name=op.f('uq_app_user_email'))
    )
    op.create_index(op.f('ix_app_user_agency_id'), 'app_user', ['agency_id'], unique=False)
    op.create_index(op.f('ix_app_user_unit_id'), 'app_user', ['unit_id'], unique=False)

    op.create_table('audit_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'], name=op.f('fk_audit_event_unit_id_service_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_audit_event_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    op.create_index(op.f('ix_audit_event_at'), 'audit_event', ['at'], unique=False)
    op.create_index(op.f('ix_audit_event_unit_id'), 'audit_event', ['unit_id'], unique=False)
    op.create_index(op.f('ix_audit_event_user_id'), 'audit_event', ['user_id'], unique=False)

def downgrade() -> None:
    op.drop_index(op.f('ix_audit_event_user_id'), 'audit_event')
    op.drop_index(op.f('ix_audit_event_unit_id'), 'audit_event')
    op.drop_index(op.f('ix_audit_event_at'), 'audit_event')

    op.drop_table('audit_event')
    op.drop_index(op.f('ix_app_user_unit_id'), 'app_user')
    op.drop_index(op.f('ix_app_user_agency_id'), 'app_user')

    op.drop_table('app_user')
