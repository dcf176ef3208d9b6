"""Inbox of suggestions and complaints (contacts kept apart, cases, tags, replies, keyword
rules seeded in Indonesian) and follow-up plans (rencana tindak lanjut)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 13:51:12
"""

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

RESPONSE_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
ELEMENTS = "element_code IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6', 'U7', 'U8', 'U9')"

# Keywords people write about each element (PermenPANRB 14/2017), matched by analysis/tagging.py
# on whole words and their common affixed forms; `*` matches any ending. Administrators edit
# them on /dasbor/aturan-tag.
RULES = {
    'U1': ('syarat', 'berkas', 'dokumen', 'fotokopi', 'fotocopy', 'formulir',
           'surat pengantar', 'lengkap'),
    'U2': ('prosedur', 'alur', 'mekanisme', 'berbelit', 'ribet', 'rumit', 'bingung',
           'bolak balik', 'petunjuk', 'sistem', 'aplikasi', 'online', 'daring'),
    'U3': ('antr*', 'lama', 'menunggu', 'waktu tunggu', 'waktu', 'lambat', 'lelet', 'lemot',
           'molor', 'cepat', 'jam', 'berhari hari', 'berminggu minggu'),
    'U4': ('biaya', 'tarif', 'bayar', 'pungli', 'pungutan', 'mahal', 'gratis', 'uang', 'calo',
           'retribusi', 'pelicin'),
    'U5': ('produk', 'hasil layanan', 'salah ketik', 'salah cetak', 'keliru', 'typo',
           'blangko', 'obat', 'tidak sesuai'),
    'U6': ('kompeten', 'kompetensi', 'paham', 'menguasai', 'latih', 'terampil', 'profesional',
           'tidak tahu', 'berbeda beda'),
    'U7': ('ramah', 'sopan', 'ketus', 'judes', 'jutek', 'kasar', 'cuek', 'acuh', 'sabar',
           'senyum', 'bentak', 'marah', 'sombong', 'main hp', 'main handphone'),
    'U8': ('aduan', 'keluh', 'komplain', 'kotak saran', 'balas', 'tanggap', 'respon', 'lapor',
           'hotline'),
    'U9': ('ruang', 'kursi', 'toilet', 'wc', 'parkir', 'panas', 'ac', 'kipas', 'sempit',
           'kotor', 'bersih', 'fasilitas', 'sarana', 'prasarana', 'gedung', 'laktasi', 'listrik',
           'air', 'pengap', 'bocor'),
}


def timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def response_key() -> list:
    return [sa.Column('response_id', RESPONSE_ID, nullable=False)]


def response_link(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['response_id'], ['response.id'],
                                   name=op.f(f'fk_{table}_response_id_response'))


def user_link(table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], ['app_user.id'],
                                   name=op.f(f'fk_{table}_{column}_app_user'))


def upgrade() -> None:
    op.create_table(
        'response_contact', *response_key(),
        sa.Column('contact', sa.String(length=200), nullable=False),
        timestamp('created_at'),
        response_link('response_contact'),
        sa.PrimaryKeyConstraint('response_id', name=op.f('pk_response_contact')))
    op.create_index('ix_response_contact_created_at', 'response_contact', ['created_at'])
    op.create_table(
        'inbox_case', *response_key(),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('public_answer', sa.Text(), nullable=True),
        timestamp('public_answer_at', nullable=True),
        timestamp('updated_at'),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.CheckConstraint("status IN ('new', 'read', 'answered', 'closed')",
                           name=op.f('ck_inbox_case_status')),
        response_link('inbox_case'), user_link('inbox_case', 'updated_by'),
        sa.PrimaryKeyConstraint('response_id', name=op.f('pk_inbox_case')))
    op.create_index('ix_inbox_case_public_answer_at', 'inbox_case', ['public_answer_at'])
    op.create_table(
        'inbox_case_tag', *response_key(),
        sa.Column('element_code', sa.String(length=8), nullable=False),
        sa.Column('confirmed_by', sa.Integer(), nullable=True),
        timestamp('confirmed_at'),
        sa.CheckConstraint(ELEMENTS, name=op.f('ck_inbox_case_tag_element')),
        response_link('inbox_case_tag'), user_link('inbox_case_tag', 'confirmed_by'),
        sa.PrimaryKeyConstraint('response_id', 'element_code', name=op.f('pk_inbox_case_tag')))
    op.create_index('ix_inbox_case_tag_element_code', 'inbox_case_tag', ['element_code'])
    op.create_table(
        'inbox_reply',
        sa.Column('id', sa.Integer(), nullable=False), *response_key(),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('delivery', sa.String(length=12), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=True),
        timestamp('created_at'),
        sa.Column('created_by', sa.Integer(), nullable=True),
        timestamp('sent_at', nullable=True),
        sa.CheckConstraint("delivery IN ('sent', 'manual', 'manual_sent')",
                           name=op.f('ck_inbox_reply_delivery')),
        response_link('inbox_reply'), user_link('inbox_reply', 'created_by'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_reply')))
    op.create_index('ix_inbox_reply_response_id', 'inbox_reply', ['response_id'])
    op.create_table(
        'tag_rule',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('element_code', sa.String(length=8), nullable=False),
        sa.Column('keyword', sa.String(length=80), nullable=False),
        timestamp('created_at'),
        sa.CheckConstraint(ELEMENTS, name=op.f('ck_tag_rule_element')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tag_rule')),
        sa.UniqueConstraint('element_code', 'keyword',
                            name=op.f('uq_tag_rule_element_code_keyword')))
    op.create_table(
        'follow_up',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('period_label', sa.String(length=40), nullable=False),
        sa.Column('element_code', sa.String(length=8), nullable=False),
        sa.Column('action', sa.Text(), nullable=False),
        sa.Column('owner', sa.String(length=200), nullable=False),
        sa.Column('due', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=True),
        sa.Column('published', sa.Boolean(), nullable=False),
        timestamp('created_at'), timestamp('updated_at'),
        sa.CheckConstraint(ELEMENTS, name=op.f('ck_follow_up_element')),
        sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'cancelled')",
                           name=op.f('ck_follow_up_status')),
        sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'],
                                name=op.f('fk_follow_up_unit_id_service_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up')))
    op.create_index('ix_follow_up_unit_period', 'follow_up', ['unit_id', 'period_label'])
    op.create_index('ix_follow_up_status_due', 'follow_up', ['status', 'due'])
    op.get_bind().execute(
        sa.text("INSERT INTO tag_rule (element_code, keyword, created_at) "
                "VALUES (:code, :keyword, CURRENT_TIMESTAMP)"),
        [{'code': code, 'keyword': keyword}
         for code, keywords in RULES.items() for keyword in keywords])


def downgrade() -> None:
    for table in ('follow_up', 'tag_rule', 'inbox_reply', 'inbox_case_tag', 'inbox_case',
                  'response_contact'):
        op.drop_table(table)
