"""The screening's device and identical-answers counts read an index each: response.answer_key
(the answers and profile as one string) and indexes of point, device or answers, and time

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 16:00:00
"""

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

ANSWERS = [f'u{number}' for number in range(1, 10)]
PROFILE = ['gender', 'age', 'education', 'occupation']
# Only the answers of the last identical-answers window (30 minutes) are ever compared again;
# older ones keep an empty key rather than a rewrite of the whole table.
RECENT = timedelta(hours=2)


# The SQL of survey.public.abuse.answer_key: u1..u9, then the profile with '|' before each.
KEY = " || ".join([*(f"CAST({column} AS VARCHAR)" for column in ANSWERS),
                   *(f"'|' || COALESCE(CAST({column} AS VARCHAR), '')" for column in PROFILE)])


def upgrade() -> None:
    op.add_column('response', sa.Column('answer_key', sa.String(length=40), nullable=True))
    bind = op.get_bind()
    since = datetime.now(timezone.utc) - RECENT
    if bind.dialect.name == 'sqlite':
        since = since.replace(tzinfo=None)
    bind.execute(sa.text(f"UPDATE response SET answer_key = {KEY}"
                         " WHERE point_id IS NOT NULL AND created_at > :since")
                 .bindparams(sa.bindparam('since', type_=sa.DateTime(timezone=True))),
                 {'since': since})
    op.create_index(op.f('ix_response_point_device'), 'response',
                    ['point_id', 'client_key', 'created_at'])
    op.create_index(op.f('ix_response_point_answers'), 'response',
                    ['point_id', 'answer_key', 'created_at'])


def downgrade() -> None:
    op.drop_index(op.f('ix_response_point_answers'), table_name='response')
    op.drop_index(op.f('ix_response_point_device'), table_name='response')
    with op.batch_alter_table('response') as batch:
        batch.drop_column('answer_key')
