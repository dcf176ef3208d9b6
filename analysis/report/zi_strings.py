"""Texts of the Laporan Hasil SPKP dan SPAK in Bahasa Indonesia (default) and English."""

from types import MappingProxyType

from analysis.report.texts import check_locale

_ID = {
    "title": ("LAPORAN HASIL\nSURVEI PERSEPSI KUALITAS PELAYANAN (SPKP)\n"
              "DAN SURVEI PERSEPSI ANTI KORUPSI (SPAK)"),
    "subtitle": "Pembangunan Zona Integritas menurut PermenPANRB Nomor 90 Tahun 2021",
    "running": "Laporan SPKP dan SPAK",
    "subject": "SPKP dan SPAK, Zona Integritas, PermenPANRB 90/2021",
    "foot": "SPKP & SPAK · PermenPANRB 90/2021 · SUARA",
    "cover.period": "Periode {period}\n{start} s.d. {end}",
    "cover.prepared": "Disusun dengan SUARA pada {date}",
    "cover.index": "{short} {index} · mutu {band}",
    "approval.title": "LAPORAN HASIL SPKP DAN SPAK",
    "s1": "Bab I. Pendahuluan",
    "s1.background": "1.1 Latar belakang",
    "s1.background.text": (
        "Pembangunan Zona Integritas menuju Wilayah Bebas dari Korupsi (WBK) dan Wilayah "
        "Birokrasi Bersih dan Melayani (WBBM) dinilai antara lain dari komponen hasil: nilai "
        "persepsi kualitas pelayanan dan nilai persepsi korupsi menurut penerima layanan "
        "(survei eksternal). Sejak 2023 unit kerja melaksanakan kedua survei secara mandiri, "
        "kepada seluruh penerima layanan yang telah selesai menerima pelayanan, untuk semua "
        "jenis layanan. Dasarnya:"),
    "s1.basis": (
        "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 90 "
        "Tahun 2021 tentang Pembangunan dan Evaluasi Zona Integritas Menuju Wilayah Bebas "
        "dari Korupsi dan Wilayah Birokrasi Bersih dan Melayani di Instansi Pemerintah;",
        "Surat Edaran Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 4 "
        "Tahun 2023 tentang Pengusulan dan Evaluasi Zona Integritas Tahun 2023."),
    "s1.purpose": "1.2 Tujuan",
    "s1.purpose.items": (
        "mengukur persepsi penerima layanan atas kualitas pelayanan {unit} (IPKP) dan atas "
        "praktik anti korupsinya (IPAK) pada {period};",
        "menyediakan nilai survei eksternal bagi Lembar Kerja Evaluasi (LKE) Zona Integritas;",
        "menunjukkan pernyataan yang paling perlu diperbaiki."),
    "s1.method": "1.3 Metode",
    "s1.method.text": (
        "Responden adalah penerima layanan yang telah selesai menerima pelayanan dan mengisi "
        "kuesioner secara mandiri. Setiap pernyataan dijawab pada skala 1 sampai {scale} "
        "({labels}); nilai tertinggi selalu berarti baik. Pernyataan SPAK berbunyi \"Tidak ada "
        "...\", sehingga setuju berarti tidak ada praktik korupsi."),
    "s1.method.official": (
        "PermenPANRB 90/2021 dan SE MenPANRB 4/2023 menetapkan aspek yang minimal dicakup "
        "(prosedur, persyaratan, biaya, waktu, penyelesaian, respon, performa, sarana dan "
        "pengaduan; diskriminasi, kecurangan, imbalan/gratifikasi, pungutan liar dan "
        "percaloan), bukan rumusan pernyataan, skala, maupun rumus. Laporan ini mengikuti "
        "praktik laporan unit yang dipublikasikan:"),
    "s1.formulas": (
        "rata-rata pernyataan = jumlah nilai jawaban / jumlah responden;",
        "indeks (IPKP, IPAK) = rata-rata dari rata-rata pernyataan, dengan bobot sama;",
        "nilai konversi = indeks × 100 / {scale} (× 25 pada skala 4);",
        "mutu menurut tabel PermenPANRB 14/2017 atas indeks skala 4 (A ≥ 3,5324; "
        "B ≥ 3,0644; C ≥ 2,60; D di bawahnya);",
        "selang kepercayaan 95 %: selang t atas rata-rata jawaban per responden."),
    "s1.six": (
        "Pada skala 6, nilai skala 4 yang dipakai LKE = 1 + (indeks − 1) × 3 / 5. Konversi "
        "ini tidak diatur secara resmi; ini pilihan SUARA yang didokumentasikan."),
    "s1.instrument": "Pernyataan {short} ({name}):",
    "s2": "Bab II. Hasil",
    "s2.heading": "2.{number} {name} ({short})",
    "s2.headings": ("Kode", "Pernyataan"),
    "s2.mean": "Rata-rata",
    "s2.share": "n · %",
    "s2.row.index": "Indeks {short}",
    "s2.text": (
        "Dari {n} responden, {short} {unit} = {index} pada skala 1–{scale}, nilai konversi "
        "{konversi}, mutu {band} ({label})."),
    "s2.interval": "Selang kepercayaan 95 %: {low}–{high} (n = {n}).",
    "s2.no_interval": ("Selang kepercayaan tidak tersedia (perlu sedikitnya dua responden dan "
                       "jumlah nilai tiap responden)."),
    "s2.sample": ("Populasi {population}; sampel minimal (Krejcie & Morgan) {required}, "
                  "tercapai {achieved}: {verdict}."),
    "adequate": "memadai",
    "inadequate": "belum memadai",
    "s2.none": "Belum ada hasil survei pada periode ini.",
    "s3": "Bab III. Kesimpulan",
    "s3.headings": ("Indeks", "Nilai skala 4", "Poin LKE (maks. 17,50)", "Target WBK",
                    "Target WBBM"),
    "meets": "memenuhi",
    "misses": "belum memenuhi",
    "verdict.meets": "memenuhi",
    "verdict.misses": "belum memenuhi",
    "s3.item": ("{short} {index} (skala 4: {four}), mutu {band} ({label}), setara "
                "{points} dari 17,50 poin LKE."),
    "s3.verdict": ("Dengan IPKP {ipkp} dan IPAK {ipak} (skala 4), {unit} {verdict} target "
                   "survei eksternal {kind} (IPKP ≥ {t_ipkp}, IPAK ≥ {t_ipak})."),
    "s3.one": "{short} {four} (skala 4) {verdict} target {kind} (≥ {target}).",
    "s3.provenance": (
        "Target dibaca dari implementasi LKE PermenPANRB 90/2021 (poin = indeks / 4 × 17,5; "
        "WBK: SPAK ≥ 15,75 dan SPKP ≥ 14,00 poin; WBBM: keduanya ≥ 15,75 poin) dan belum "
        "dicocokkan dengan teks Lampiran PermenPANRB 90/2021."),
}

_EN = {
    "title": ("SERVICE QUALITY PERCEPTION SURVEY (SPKP)\nAND ANTI-CORRUPTION PERCEPTION "
              "SURVEY (SPAK)\nRESULTS REPORT"),
    "subtitle": "Integrity Zone development under PermenPANRB No. 90 of 2021",
    "running": "SPKP and SPAK report",
    "subject": "SPKP and SPAK, Integrity Zone, PermenPANRB 90/2021",
    "foot": "SPKP & SPAK · PermenPANRB 90/2021 · SUARA",
    "cover.period": "Period {period}\n{start} to {end}",
    "cover.prepared": "Prepared with SUARA on {date}",
    "cover.index": "{short} {index} · grade {band}",
    "approval.title": "SPKP AND SPAK RESULTS REPORT",
    "s1": "Chapter I. Introduction",
    "s1.background": "1.1 Background",
    "s1.background.text": (
        "An Integrity Zone working towards a Corruption-Free Area (WBK) or a Clean and Serving "
        "Bureaucracy Area (WBBM) is assessed, among other results, on how service recipients "
        "perceive service quality and corruption (external surveys). Since 2023 units run both "
        "surveys themselves, among everyone who finished receiving any of their services. "
        "Basis:"),
    "s1.basis": (
        "Regulation of the Minister for Administrative and Bureaucratic Reform No. 90 of 2021 "
        "on developing and evaluating Integrity Zones towards WBK and WBBM;",
        "Circular of the Minister for Administrative and Bureaucratic Reform No. 4 of 2023 on "
        "proposing and evaluating Integrity Zones in 2023."),
    "s1.purpose": "1.2 Purpose",
    "s1.purpose.items": (
        "to measure how service recipients perceive the service quality of {unit} (IPKP) and "
        "its freedom from corruption (IPAK) in {period};",
        "to provide the external survey values of the Integrity Zone evaluation sheet (LKE);",
        "to show the statements that most need improvement."),
    "s1.method": "1.3 Method",
    "s1.method.text": (
        "Respondents are service recipients who finished receiving a service and answered "
        "the questionnaire themselves. Each statement is answered on a 1 to {scale} scale "
        "({labels}); the highest value always means good. SPAK statements read \"There is no "
        "...\", so agreement means no corrupt practice."),
    "s1.method.official": (
        "PermenPANRB 90/2021 and Circular 4/2023 fix the aspects to cover at minimum "
        "(procedure, requirements, fees, time, completion, response, performance, facilities "
        "and complaints; discrimination, fraud, gratuities, illegal levies and brokering), not "
        "the wording, scale or formula. This report follows published unit reports:"),
    "s1.formulas": (
        "statement mean = sum of answers / number of respondents;",
        "index (IPKP, IPAK) = the equal-weight mean of the statement means;",
        "converted value = index × 100 / {scale} (× 25 on four points);",
        "grade by the PermenPANRB 14/2017 table on the four-point index (A ≥ 3.5324; "
        "B ≥ 3.0644; C ≥ 2.60; D below);",
        "95 % confidence interval: t-interval of the respondents' mean answers."),
    "s1.six": (
        "On six points, the four-point value the LKE takes = 1 + (index − 1) × 3 / 5. This "
        "conversion is not officially specified; it is SUARA's documented choice."),
    "s1.instrument": "{short} statements ({name}):",
    "s2": "Chapter II. Results",
    "s2.heading": "2.{number} {name} ({short})",
    "s2.headings": ("Code", "Statement"),
    "s2.mean": "Mean",
    "s2.share": "n · %",
    "s2.row.index": "{short} index",
    "s2.text": (
        "From {n} respondents, the {short} of {unit} is {index} on the 1–{scale} scale, "
        "converted value {konversi}, grade {band} ({label})."),
    "s2.interval": "95 % confidence interval: {low}–{high} (n = {n}).",
    "s2.no_interval": ("No confidence interval is available (it needs at least two "
                       "respondents and each respondent's total)."),
    "s2.sample": ("Population {population}; minimum sample (Krejcie & Morgan) {required}, "
                  "achieved {achieved}: {verdict}."),
    "adequate": "adequate",
    "inadequate": "not yet adequate",
    "s2.none": "No survey results in this period yet.",
    "s3": "Chapter III. Conclusions",
    "s3.headings": ("Index", "Four-point value", "LKE points (max 17.50)", "WBK target",
                    "WBBM target"),
    "meets": "met",
    "misses": "not met",
    "verdict.meets": "meets",
    "verdict.misses": "does not yet meet",
    "s3.item": ("{short} {index} (four-point: {four}), grade {band} ({label}), worth "
                "{points} of 17.50 LKE points."),
    "s3.verdict": ("With IPKP {ipkp} and IPAK {ipak} (four-point), {unit} {verdict} the {kind} "
                   "external survey targets (IPKP ≥ {t_ipkp}, IPAK ≥ {t_ipak})."),
    "s3.one": "{short} {four} (four-point): {kind} target (≥ {target}) {verdict}.",
    "s3.provenance": (
        "Targets as read from an LKE implementation of PermenPANRB 90/2021 (points = index / 4 "
        "× 17.5; WBK: SPAK ≥ 15.75 and SPKP ≥ 14.00 points; WBBM: both ≥ 15.75 points), not "
        "yet checked against the text of the PermenPANRB 90/2021 Lampiran."),
}

STRINGS = MappingProxyType({"id": MappingProxyType(_ID), "en": MappingProxyType(_EN)})


def zt(locale: str, key: str, **values):
    """Return a text of the ZI report, filled in with the values; tuples stay tuples."""
    found = STRINGS[check_locale(locale)][key]
    if isinstance(found, tuple):
        return tuple(item.format(**values) for item in found)
    return found.format(**values) if values else found
