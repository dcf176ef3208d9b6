"""unit_report_profile: per unit, who signs the report's lembar pengesahan (name, NIP, position,
place), its kata pengantar and its logo. Units without a row print the default foreword and
leave the signatory's lines blank to be filled in by hand

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 05:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'unit_report_profile',
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('head_name', sa.String(length=200), nullable=True),
        sa.Column('head_nip', sa.String(length=18), nullable=True),
        sa.Column('head_position', sa.String(length=200), nullable=True),
        sa.Column('place', sa.String(length=100), nullable=True),
        sa.Column('foreword', sa.Text(), nullable=True),
        sa.Column('logo', sa.LargeBinary(), nullable=True),
        sa.Column('logo_type', sa.String(length=4), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("logo_type IN ('png', 'jpeg')",
                           name=op.f('ck_unit_report_profile_logo_type')),
        sa.CheckConstraint('length(head_nip) = 18',
                           name=op.f('ck_unit_report_profile_nip_length')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_unit_report_profile_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('unit_id', name=op.f('pk_unit_report_profile')))


def downgrade() -> None:
    op.drop_table('unit_report_profile')
