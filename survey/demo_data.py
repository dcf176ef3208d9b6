"""Static lists of the demo data set: agencies, units, services and how each unit tends to answer.

A unit's `level` is the mean answer (1..4) it would get on an element without offset; the
grade bounds of PermenPANRB 14/2017 on that scale are 3.5324 (A), 3.0644 (B) and 2.60 (C).
Offsets shift single elements; `trend` moves the level by that much every semester.
Region codes are Kemendagri codes from survey/data/wilayah-provinsi-kabkota.csv.
"""

import uuid
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

# Namespace of the demo's client_uuid values: fixed so that a second run finds the same rows.
DEMO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://suara.example/demo")

# Standard half-year labels (no Period row needed) and their calendar ranges.
PERIODS = (
    ("2025-S1", date(2025, 1, 1), date(2025, 6, 30)),
    ("2025-S2", date(2025, 7, 1), date(2025, 12, 31)),
    ("2026-S1", date(2026, 1, 1), date(2026, 6, 30)),
)

EDUCATION_WEIGHTS = MappingProxyType({
    "SD": 0.10, "SMP": 0.14, "SMA": 0.42, "D1-D3": 0.09, "D4-S1": 0.21, "S2": 0.035, "S3": 0.005})
# LAINNYA covers homemakers, students and pensioners: a large share at every counter.
OCCUPATION_WEIGHTS = MappingProxyType({
    "PNS": 0.10, "TNI": 0.015, "POLRI": 0.015, "SWASTA": 0.30, "WIRAUSAHA": 0.24, "LAINNYA": 0.33})

# Local office hours, in minutes after midnight: opening, morning peak, closing.
OFFICE_MINUTES = (8 * 60, 10 * 60, 15 * 60)


@dataclass(frozen=True)
class ServiceProfile:
    """What a kind of unit offers and how its elements usually compare."""

    services: tuple[tuple[str, float], ...]
    offsets: MappingProxyType
    channels: tuple[tuple[str, float], ...]
    female_share: float
    age: tuple[float, float]
    suggestions: MappingProxyType


@dataclass(frozen=True)
class UnitSpec:
    """One demo service unit and the way its respondents answer."""

    slug: str
    name: str
    agency: tuple[str, ...]
    region_code: str
    profile: str
    points: tuple[str, ...]
    level: float
    trend: float
    size: int
    population: int
    offsets: tuple[tuple[str, float], ...] = ()


# Most services are free by law or through BPJS, hence U4 (fee) strongest almost everywhere;
# waiting time (U3) and facilities (U9) are the usual weak spots of the published SKM reports.
PROFILES = MappingProxyType({
    "puskesmas": ServiceProfile(
        services=(("Pemeriksaan umum", 0.40), ("Kesehatan ibu dan anak", 0.15),
                  ("Imunisasi", 0.12), ("Pemeriksaan gigi dan mulut", 0.10),
                  ("Laboratorium", 0.10), ("Keluarga berencana", 0.08),
                  ("Surat keterangan sehat", 0.05)),
        offsets=MappingProxyType({"U3": -0.30, "U4": 0.45, "U7": 0.10, "U8": -0.15, "U9": -0.20}),
        channels=(("qr", 0.55), ("link", 0.15), ("kiosk", 0.20), ("paper", 0.10)),
        female_share=0.63, age=(36.0, 13.0),
        suggestions=MappingProxyType({
            "U3": ("Antrean poli umum terlalu lama, mohon ditambah dokter",
                   "Mohon antrean online lewat aplikasi diaktifkan"),
            "U5": ("Obat yang diresepkan sering kosong di apotek puskesmas",),
            "U9": ("Ruang tunggu sempit dan panas, perlu kipas angin",
                   "Perlu ruang laktasi untuk ibu menyusui",
                   "Kursi roda untuk lansia belum tersedia"),
        })),
    "dukcapil": ServiceProfile(
        services=(("Pembuatan KTP-el", 0.35), ("Kartu Keluarga", 0.25),
                  ("Akta Kelahiran", 0.18), ("Kartu Identitas Anak", 0.08),
                  ("Surat Keterangan Pindah", 0.08), ("Akta Kematian", 0.06)),
        offsets=MappingProxyType({"U2": -0.10, "U3": -0.35, "U4": 0.60, "U8": -0.10, "U9": -0.15}),
        channels=(("qr", 0.55), ("link", 0.20), ("kiosk", 0.17), ("paper", 0.08)),
        female_share=0.50, age=(35.0, 14.0),
        suggestions=MappingProxyType({
            "U2": ("Antrean online lewat aplikasi sulit diakses",),
            "U3": ("Blangko KTP-el sering habis, harus datang berkali-kali",
                   "Kartu Keluarga baru jadi setelah dua minggu, mohon dipercepat"),
            "U5": ("Nama di akta salah ketik, harus urus ulang",),
        })),
    "kemenag": ServiceProfile(
        services=(("Legalisir ijazah madrasah", 0.20), ("Rekomendasi paspor umrah", 0.18),
                  ("Pendaftaran haji", 0.20), ("Izin operasional madrasah dan TPQ", 0.10),
                  ("Fasilitasi sertifikasi halal", 0.10), ("Informasi dan konsultasi", 0.22)),
        offsets=MappingProxyType({"U3": -0.10, "U4": 0.40, "U6": 0.05, "U8": -0.15, "U9": -0.10}),
        channels=(("qr", 0.50), ("link", 0.25), ("kiosk", 0.15), ("paper", 0.10)),
        female_share=0.45, age=(42.0, 12.0),
        suggestions=MappingProxyType({
            "U1": ("Syarat rekomendasi paspor umrah kurang jelas",),
            "U3": ("Legalisir ijazah harus ditinggal beberapa hari",),
        })),
    "kua": ServiceProfile(
        services=(("Pencatatan nikah", 0.55), ("Bimbingan perkawinan", 0.15),
                  ("Legalisasi buku nikah", 0.15), ("Duplikat buku nikah", 0.15)),
        # Marrying at the KUA is free, at home it costs Rp600.000 (PP 48/2014): U4 only slightly up.
        offsets=MappingProxyType({"U4": 0.10, "U7": 0.10, "U8": -0.10, "U9": -0.25}),
        channels=(("qr", 0.50), ("link", 0.15), ("paper", 0.35)),
        female_share=0.52, age=(29.0, 7.0),
        suggestions=MappingProxyType({
            "U3": ("Jadwal bimbingan perkawinan sering berubah",),
            "U4": ("Biaya nikah di luar kantor mohon dijelaskan sejak awal",),
            "U9": ("Ruang akad nikah di KUA sempit",),
        })),
})

GENERIC_SUGGESTIONS = MappingProxyType({
    "U1": ("Persyaratan mohon diumumkan lebih jelas di papan informasi",
           "Syarat yang diminta petugas berbeda dengan yang di website"),
    "U2": ("Alur pelayanan membingungkan, perlu petunjuk arah",
           "Prosedurnya berbelit, harus bolak-balik ke beberapa loket"),
    "U3": ("Antrean terlalu lama, mohon ditambah petugas loket",
           "Pelayanan baru mulai jam 9, padahal jadwalnya jam 8",
           "Waktu tunggu lebih dari dua jam"),
    "U4": ("Mohon papan informasi biaya dipasang agar jelas",),
    "U5": ("Hasil layanan mohon diperiksa dulu sebelum diserahkan",),
    "U6": ("Petugas kurang menguasai aturan, jawabannya berbeda-beda",
           "Petugas baru perlu pelatihan"),
    "U7": ("Petugas kurang ramah, mohon lebih sabar melayani lansia",
           "Ada petugas yang sibuk main HP saat melayani"),
    "U8": ("Pengaduan lewat WhatsApp tidak pernah dibalas",
           "Kotak saran tidak ada atau tidak pernah dibuka",
           "Mohon ada nomor pengaduan yang aktif"),
    "U9": ("Ruang tunggu panas, perlu kipas angin",
           "Kursi tunggu kurang, banyak yang berdiri",
           "Toilet kotor, mohon dibersihkan",
           "Tempat parkir sempit"),
})

PRAISE = ("Pelayanan sudah baik, pertahankan",
          "Terima kasih, petugas ramah dan cepat",
          "Semoga pelayanan makin baik ke depannya",
          "Sudah bagus, mohon jam layanan diperpanjang",
          "Prosesnya cepat, terima kasih")

KEMENKES = "Kementerian Kesehatan"
KEMENDAGRI = "Kementerian Dalam Negeri"
KEMENAG = "Kementerian Agama"


def _dinkes(city: str) -> tuple[str, ...]:
    """Return the agency path of a city's health office under the Ministry of Health."""
    return (KEMENKES, f"Dinas Kesehatan Kota {city}")


def _dukcapil(city: str) -> tuple[str, ...]:
    """Return the agency path of a city's civil registry, via its city government."""
    return (KEMENDAGRI, f"Pemerintah Kota {city}",
            f"Dinas Kependudukan dan Pencatatan Sipil Kota {city}")


def _kemenag(city: str) -> tuple[str, ...]:
    """Return the agency path of a city office of the Ministry of Religious Affairs."""
    return (KEMENAG, f"Kantor Kementerian Agama Kota {city}")


PUSKESMAS_POINTS = ("Loket Pendaftaran", "Poli Umum", "Ruang KIA")
DUKCAPIL_POINTS = ("Loket KTP-el", "Loket Kartu Keluarga", "Loket Akta Kelahiran")
PTSP_POINTS = ("Loket PTSP", "Meja Informasi")

# Spread on purpose: grades A, B and C, some improving, some declining, one D element (U9 at
# Puskesmas Hamadi), so that rankings, trends and follow-up plans have something to show.
UNITS = (
    UnitSpec("puskesmas-ketabang", "Puskesmas Ketabang", _dinkes("Surabaya"), "35.78",
             "puskesmas", PUSKESMAS_POINTS, 3.52, 0.06, 150, 4200),
    UnitSpec("puskesmas-kenjeran", "Puskesmas Kenjeran", _dinkes("Surabaya"), "35.78",
             "puskesmas", PUSKESMAS_POINTS[:2], 3.20, 0.0, 120, 3600),
    UnitSpec("puskesmas-jagir", "Puskesmas Jagir", _dinkes("Surabaya"), "35.78",
             "puskesmas", PUSKESMAS_POINTS[:1], 3.30, -0.05, 100, 2500),
    UnitSpec("puskesmas-puter", "Puskesmas Puter", _dinkes("Bandung"), "32.73",
             "puskesmas", PUSKESMAS_POINTS[:2], 3.00, 0.12, 110, 2800, (("U2", -0.10),)),
    UnitSpec("puskesmas-garuda", "Puskesmas Garuda", _dinkes("Bandung"), "32.73",
             "puskesmas", PUSKESMAS_POINTS[:1], 3.25, 0.0, 90, 1900),
    UnitSpec("puskesmas-kassi-kassi", "Puskesmas Kassi-Kassi", _dinkes("Makassar"), "73.71",
             "puskesmas", PUSKESMAS_POINTS, 2.95, 0.02, 130, 3900, (("U9", -0.30),)),
    UnitSpec("puskesmas-jumpandang-baru", "Puskesmas Jumpandang Baru", _dinkes("Makassar"),
             "73.71", "puskesmas", PUSKESMAS_POINTS[:2], 3.12, -0.06, 100, 2400,
             (("U8", -0.30),)),
    UnitSpec("puskesmas-i-denpasar-barat", "Puskesmas I Denpasar Barat", _dinkes("Denpasar"),
             "51.71", "puskesmas", PUSKESMAS_POINTS[:2], 3.68, 0.0, 110, 2600),
    UnitSpec("puskesmas-hamadi", "Puskesmas Hamadi", _dinkes("Jayapura"), "91.71",
             "puskesmas", PUSKESMAS_POINTS[:2], 2.85, 0.10, 80, 1500,
             (("U9", -0.45), ("U3", -0.10))),
    UnitSpec("disdukcapil-kota-surabaya", "Disdukcapil Kota Surabaya", _dukcapil("Surabaya"),
             "35.78", "dukcapil", DUKCAPIL_POINTS, 3.75, 0.02, 200, 6000),
    UnitSpec("disdukcapil-kota-bandung", "Disdukcapil Kota Bandung", _dukcapil("Bandung"),
             "32.73", "dukcapil", DUKCAPIL_POINTS, 3.15, 0.06, 170, 5200),
    UnitSpec("disdukcapil-kota-makassar", "Disdukcapil Kota Makassar", _dukcapil("Makassar"),
             "73.71", "dukcapil", DUKCAPIL_POINTS[:2], 2.92, -0.07, 150, 4500,
             (("U3", -0.20),)),
    UnitSpec("disdukcapil-kota-denpasar", "Disdukcapil Kota Denpasar", _dukcapil("Denpasar"),
             "51.71", "dukcapil", DUKCAPIL_POINTS[:2], 3.40, 0.0, 130, 3300),
    UnitSpec("disdukcapil-kota-jayapura", "Disdukcapil Kota Jayapura", _dukcapil("Jayapura"),
             "91.71", "dukcapil", DUKCAPIL_POINTS[:1], 2.80, 0.07, 90, 1800,
             (("U8", -0.30),)),
    UnitSpec("kemenag-kota-surabaya-ptsp", "Kantor Kemenag Kota Surabaya – Layanan PTSP",
             _kemenag("Surabaya"), "35.78", "kemenag", PTSP_POINTS, 3.66, 0.0, 110, 1600),
    UnitSpec("kemenag-kota-bandung-ptsp", "Kantor Kemenag Kota Bandung – Layanan PTSP",
             _kemenag("Bandung"), "32.73", "kemenag", PTSP_POINTS[:1], 3.35, 0.03, 90, 1300),
    UnitSpec("kemenag-kota-makassar-ptsp", "Kantor Kemenag Kota Makassar – Layanan PTSP",
             _kemenag("Makassar"), "73.71", "kemenag", PTSP_POINTS, 3.22, 0.07, 100, 1400),
    UnitSpec("kemenag-kota-denpasar-ptsp", "Kantor Kemenag Kota Denpasar – Layanan PTSP",
             _kemenag("Denpasar"), "51.71", "kemenag", PTSP_POINTS[:1], 3.45, -0.04, 70, 800),
    # Small offices with few services a semester: the only units whose sample can be adequate.
    UnitSpec("kemenag-kota-jayapura-ptsp", "Kantor Kemenag Kota Jayapura – Layanan PTSP",
             _kemenag("Jayapura"), "91.71", "kemenag", PTSP_POINTS[:1], 3.05, 0.0, 170, 300,
             (("U8", -0.20),)),
    UnitSpec("kua-panakkukang", "KUA Kecamatan Panakkukang", _kemenag("Makassar"), "73.71",
             "kua", ("Loket Pendaftaran Nikah",), 3.50, 0.04, 140, 220),
    UnitSpec("kua-coblong", "KUA Kecamatan Coblong", _kemenag("Bandung"), "32.73",
             "kua", ("Loket Pendaftaran Nikah",), 3.30, -0.02, 120, 160),
)
