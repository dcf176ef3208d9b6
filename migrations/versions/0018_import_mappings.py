"""Saved column mappings of answer-history imports (Google Forms, KoboToolbox, the official
pengolahan data sheet): import_mapping, one per unit, source and header

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 09:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'import_mapping',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('source_kind', sa.String(length=10), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('mapping', sa.JSON(), nullable=False),
        sa.Column('saved_by', sa.Integer(), nullable=True),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source_kind IN ('google', 'kobo', 'official')",
                           name=op.f('ck_import_mapping_source_kind')),
        sa.ForeignKeyConstraint(['saved_by'], ['app_user.id'],
                                name=op.f('fk_import_mapping_saved_by_app_user')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_import_mapping_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_mapping')),
        sa.UniqueConstraint('unit_id', 'source_kind', 'fingerprint',
                            name=op.f('uq_import_mapping_unit_id_source_kind_fingerprint')))


def downgrade() -> None:
    op.drop_table('import_mapping')
