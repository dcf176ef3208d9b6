"""Placeholder (no change yet)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 07:20:00
"""

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
