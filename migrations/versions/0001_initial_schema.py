"""Initial schema and the default PermenPANRB 14/2017 questionnaire

Revision ID: 0001
Revises:
Create Date: 2026-11-23 11:40:03.444098
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

# The default questionnaire: the nine elements in the regulation's order (U1..U9), with the
# standard question of the PermenPANRB 14/2017 sample form and its four answers (1 = worst).
# Frozen here on purpose: a later rewording is a new questionnaire version, never an edit.
DEFAULT_ITEMS = [
    ("U1",
     "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
     "How well do the service requirements match the type of service?",
     ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
     ["Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"]),
    ("U2",
     "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
     "How easy was the service procedure at this unit?",
     ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
     ["Not easy", "Less easy", "Easy", "Very easy"]),
    ("U3",
     "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
     "How fast was the service delivered?",
     ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
     ["Not fast", "Less fast", "Fast", "Very fast"]),
    ("U4",
     "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
     "How reasonable was the fee or tariff for the service?",
     ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
     ["Very expensive", "Rather expensive", "Cheap", "Free"]),
    ("U5",
     "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
     "dalam standar pelayanan dengan hasil yang diberikan?",
     "How well did the service you received match what the service standard promises?",
     ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
     ["Not appropriate", "Less appropriate", "Appropriate", "Very appropriate"]),
    ("U6",
     "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
     "How competent were the staff who served you?",
     ["Tidak kompeten", "Kurang kompeten", "Kompeten", "Sangat kompeten"],
     ["Not competent", "Less competent", "Competent", "Very competent"]),
    ("U7",
     "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
     "dan keramahan?",
     "How polite and friendly were the staff?",
     ["Tidak sopan dan ramah", "Kurang sopan dan ramah", "Sopan dan ramah",
      "Sangat sopan dan ramah"],
     ["Not polite and friendly", "Less polite and friendly", "Polite and friendly",
      "Very polite and friendly"]),
    ("U8",
     "Bagaimana pendapat Saudara tentang penanganan pengaduan, saran dan masukan di unit ini?",
     "How are complaints, suggestions and feedback handled at this unit?",
     ["Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal",
      "Dikelola dengan baik"],
     ["None", "Exists but does not work", "Works, but not fully", "Well managed"]),
    ("U9",
     "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
     "How good are the facilities and infrastructure?",
     ["Buruk", "Cukup", "Baik", "Sangat baik"],
     ["Poor", "Fair", "Good", "Very good"]),
]

def seed_default_questionnaire() -> None:
    questionnaire = sa.table(
        "questionnaire", sa.column("id", sa.Integer), sa.column("unit_id", sa.Integer),
        sa.column("version", sa.Integer), sa.column("title_id", sa.String),
        sa.column("title_en", sa.String), sa.column("status", sa.String),
        sa.column("published_at", sa.DateTime(timezone=True)))
    item = sa.table(
        "questionnaire_item", sa.column("questionnaire_id", sa.Integer),
        sa.column("element_code", sa.String), sa.column("position", sa.SmallInteger),
        sa.column("text_id", sa.Text), sa.column("text_en", sa.Text),
        sa.column("labels_id", sa.JSON), sa.column("labels_en", sa.JSON))
    op.bulk_insert(questionnaire, [{
        "id": 1, "unit_id": None, "version": 1,
        "title_id": "Survei Kepuasan Masyarakat (PermenPANRB No. 14 Tahun 2017)",
        "title_en": "Public Satisfaction Survey (PermenPANRB No. 14/2017)",
        "status": "published", "published_at": datetime(2017, 1, 1, tzinfo=timezone.utc)}])
    op.bulk_insert(item, [
        {"questionnaire_id": 1, "element_code": code, "position": position,
         "text_id": text_id, "text_en": text_en, "labels_id": labels_id, "labels_en": labels_en}
        for position, (code, text_id, text_en, labels_id, labels_en)
        in enumerate(DEFAULT_ITEMS, start=1)])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval('questionnaire_id_seq', (SELECT max(id) FROM questionnaire))")

def upgrade() -> None:
    op.create_table('agency',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['agency.id'], name=op.f('fk_agency_parent_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency')),
    sa.UniqueConstraint('parent_id', 'name', name=op.f('uq_agency_parent_id_name'))
    )
    op.create_index(op.f('ix_agency_parent_id'), 'agency', ['parent_id'], unique=False)
    op.create_index(op.f('ix_agency_path'), 'agency', ['path'], unique=False)

    op.create_table('region',
    sa.Column('code', sa.String(length=13), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=13), nullable=True),
    sa.CheckConstraint("level IN ('provinsi', 'kabupaten_kota')", name=op.f('ck_region_level')),
    sa.ForeignKeyConstraint(['parent_code'], ['region.code'], name=op.f('fk_region_parent_code_region')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_region'))
    )
    op.create_index(op.f('ix_region_parent_code'), 'region', ['parent_code'], unique=False)

    op.create_table('service_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=13), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('active', 'closed', 'archived')", name=op.f('ck_service_unit_status')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_service_unit_agency_id_agency')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_service_unit_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_unit')),
    sa.UniqueConstraint('slug', name=op.f('uq_service_unit_slug'))
    )
    op.create_index(op.f('ix_service_unit_agency_id'), 'service_unit', ['agency_id'], unique=False)
    op.create_index(op.f('ix_service_unit_region_code'), 'service_unit', ['region_code'], unique=False)

    op.create_table('period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.CheckConstraint('starts_on <= ends_on', name=op.f('ck_period_range')),
    sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'], name=op.f('fk_period_unit_id_service_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period')),
    sa.UniqueConstraint('unit_id', 'label', name=op.f('uq_period_unit_id_label'))
    )
    op.create_index(op.f('ix_period_unit_id'), 'period', ['unit_id'], unique=False)

    op.create_table('questionnaire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title_id', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_questionnaire_status')),
    sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'], name=op.f('fk_questionnaire_unit_id_service_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire'))
    )
    op.create_index(op.f('ix_questionnaire_unit_id'), 'questionnaire', ['unit_id'], unique=False)

    op.create_table('service_point',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'], name=op.f('fk_service_point_unit_id_service_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_point')),
    sa.UniqueConstraint('token', name=op.f('uq_service_point_token')),
    sa.UniqueConstraint('unit_id', 'name', name=op.f('uq_service_point_unit_id_name'))
    )
    op.create_index(op.f('ix_service_point_unit_id'), 'service_point', ['unit_id'], unique=False)

    op.create_table('unit_population',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period_label', sa.String(length=40), nullable=False),
    sa.Column('population', sa.Integer(), nullable=False),
    sa.CheckConstraint('population > 0', name=op.f('ck_unit_population_positive')),
    sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'], name=op.f('fk_unit_population_unit_id_service_unit')),
    sa.PrimaryKeyConstraint('unit_id', 'period_label', name=op.f('pk_unit_population'))
    )
    op.create_table('questionnaire_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('element_code', sa.String(length=8), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('text_id', sa.Text(), nullable=False),
    sa.Column('text_en', sa.Text(), nullable=False),
    sa.Column('labels_id', sa.JSON(), nullable=False),
    sa.Column('labels_en', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaire.id'], name=op.f('fk_questionnaire_item_questionnaire_id_questionnaire')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_item')),
    sa.UniqueConstraint('questionnaire_id', 'element_code', name=op.f('uq_questionnaire_item_questionnaire_id_element_code')),
    sa.UniqueConstraint('questionnaire_id', 'position', name=op.f('uq_questionnaire_item_questionnaire_id_position'))
    )
    op.create_table('response',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('point_id', sa.Integer(), nullable=True),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('u1', sa.SmallInteger(), nullable=False),
    sa.Column('u2', sa.SmallInteger(), nullable=False),
    sa.Column('u3', sa.SmallInteger(), nullable=False),
    sa.Column('u4', sa.SmallInteger(), nullable=False),
    sa.Column('u5', sa.SmallInteger(), nullable=False),
    sa.Column('u6', sa.SmallInteger(), nullable=False),
    sa.Column('u7', sa.SmallInteger(), nullable=False),
    sa.Column('u8', sa.SmallInteger(), nullable=False),
    sa.Column('u9', sa.SmallInteger(), nullable=False),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('age', sa.SmallInteger(), nullable=True),
    sa.Column('education', sa.String(length=8), nullable=True),
    sa.Column('occupation', sa.String(length=12), nullable=True),
    sa.Column('service_type', sa.String(length=200), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.Column('client_uuid', sa.Uuid(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('flag_reason', sa.String(length=200), nullable=True),
    sa.Column('excluded', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("channel IN ('qr', 'link', 'kiosk', 'paper', 'interview')", name=op.f('ck_response_channel')),
    sa.CheckConstraint("education IS NULL OR education IN ('SD', 'SMP', 'SMA', 'D1-D3', 'D4-S1', 'S2', 'S3')", name=op.f('ck_response_education')),
    sa.CheckConstraint("gender IS NULL OR gender IN ('L', 'P')", name=op.f('ck_response_gender')),
    sa.CheckConstraint("occupation IS NULL OR occupation IN ('PNS', 'TNI', 'POLRI', 'SWASTA', 'WIRAUSAHA', 'LAINNYA')", name=op.f('ck_response_occupation')),
    sa.CheckConstraint('age IS NULL OR age BETWEEN 10 AND 120', name=op.f('ck_response_age')),
    sa.CheckConstraint('u1 BETWEEN 1 AND 4', name=op.f('ck_response_u1_range')),
    sa.CheckConstraint('u2 BETWEEN 1 AND 4', name=op.f('ck_response_u2_range')),
    sa.CheckConstraint('u3 BETWEEN 1 AND 4', name=op.f('ck_response_u3_range')),
    sa.CheckConstraint('u4 BETWEEN 1 AND 4', name=op.f('ck_response_u4_range')),
    sa.CheckConstraint('u5 BETWEEN 1 AND 4', name=op.f('ck_response_u5_range')),
    sa.CheckConstraint('u6 BETWEEN 1 AND 4', name=op.f('ck_response_u6_range')),
    sa.CheckConstraint('u7 BETWEEN 1 AND 4', name=op.f('ck_response_u7_range')),
    sa.CheckConstraint('u8 BETWEEN 1 AND 4', name=op.f('ck_response_u8_range')),
    sa.CheckConstraint('u9 BETWEEN 1 AND 4', name=op.f('ck_response_u9_range')),
    sa.ForeignKeyConstraint(['point_id'], ['service_point.id'], name=op.f('fk_response_point_id_service_point')),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaire.id'], name=op.f('fk_response_questionnaire_id_questionnaire')),
    sa.ForeignKeyConstraint(['unit_id'], ['service_unit.id'], name=op.f('fk_response_unit_id_service_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response')),
    sa.UniqueConstraint('client_uuid', name=op.f('uq_response_client_uuid'))
    )
    op.create_index(op.f('ix_response_point_id'), 'response', ['point_id'], unique=False)
    op.create_index(op.f('ix_response_questionnaire_id'), 'response', ['questionnaire_id'], unique=False)
    op.create_index('ix_response_unit_day', 'response', ['unit_id', 'submitted_on'], unique=False)
    seed_default_questionnaire()

def downgrade() -> None:
    op.drop_index('ix_response_unit_day', 'response')
    op.drop_index(op.f('ix_response_questionnaire_id'), 'response')
    op.drop_index(op.f('ix_response_point_id'), 'response')

    op.drop_table('response')
    op.drop_table('questionnaire_item')
    op.drop_table('unit_population')
    op.drop_index(op.f('ix_service_point_unit_id'), 'service_point')

    op.drop_table('service_point')
    op.drop_index(op.f('ix_questionnaire_unit_id'), 'questionnaire')

    op.drop_table('questionnaire')
    op.drop_index(op.f('ix_period_unit_id'), 'period')

    op.drop_table('period')
    op.drop_index(op.f('ix_service_unit_region_code'), 'service_unit')
    op.drop_index(op.f('ix_service_unit_agency_id'), 'service_unit')

    op.drop_table('service_unit')
    op.drop_index(op.f('ix_region_parent_code'), 'region')

    op.drop_table('region')
    op.drop_index(op.f('ix_agency_path'), 'agency')
    op.drop_index(op.f('ix_agency_parent_id'), 'agency')

    op.drop_table('agency')
