"""Keyword tagging of suggestions and complaints (analysis/tagging.py).

The texts are real suggestions of the kind units receive (several are in the demo data); the
rules are a few of those seeded by migration 0006.
"""

import pytest

from analysis.tagging import Rule, Suggestion, suggest, word_forms, words

RULES = [Rule.of(code, keyword) for code, keyword in [
    ("U1", "syarat"), ("U1", "berkas"), ("U2", "berbelit"), ("U2", "bolak balik"),
    ("U3", "antr*"), ("U3", "lama"), ("U3", "menunggu"), ("U3", "lambat"),
    ("U4", "biaya"), ("U4", "bayar"), ("U4", "pungli"), ("U6", "paham"),
    ("U7", "ramah"), ("U7", "judes"), ("U7", "main hp"), ("U8", "keluh"), ("U8", "aduan"),
    ("U9", "ac"), ("U9", "parkir"), ("U9", "bersih"), ("U9", "toilet"),
]]


def codes(text: str) -> list[str]:
    return [found.code for found in suggest(RULES, text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Antrean terlalu lama, mohon ditambah petugas loket", ["U3"]),
    ("Antriannya panjang sekali", ["U3"]),
    ("ANTRI!!! dari pagi", ["U3"]),
    ("Kami menunggu 3 jam", ["U3"]),
    ("Pelayanan diperlambat tanpa alasan", ["U3"]),  # di-per-lambat
    ("Persyaratan mohon diumumkan lebih jelas", ["U1"]),  # per-syarat-an
    ("Berkas-berkas harus difotokopi ulang", ["U1"]),
    ("Prosedurnya berbelit, harus bolak-balik ke beberapa loket", ["U2"]),
    ("Biaya nikah di luar kantor mohon dijelaskan", ["U4"]),
    ("Pembayaran retribusi tidak ada kuitansinya", ["U4"]),  # pem-bayar-an
    ("Ada pungli di loket", ["U4"]),
    ("Petugasnya judes dan kurang ramah", ["U7"]),
    ("Ada petugas yang sibuk main HP saat melayani", ["U7"]),
    ("Petugas kurang memahami aturan", ["U6"]),  # mem-paham-i, nasal restored
    ("Saya mengeluh lewat WhatsApp tapi pengaduan tidak dibalas", ["U8"]),
    ("Toilet kotor, kebersihan kurang; parkiran sempit", ["U9"]),
])
def test_indonesian_word_forms_find_their_element(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize("text", [
    "Tidak ada acara yang jelas",  # "ac" only as a word, never inside one
    "Alamat kantor sulit dicari",  # "lama" is not inside "alamat"
    "Lamaran kerja saya ditolak",  # lamar-an is not lama
    "Selama ini sudah baik",  # se- is not stripped: "selama" is not "lama"
    "",
    None,
])
def test_keywords_do_not_fire_inside_other_words(text):
    assert codes(text) == []


def test_the_element_found_by_most_keywords_comes_first_with_its_keywords():
    found = suggest(RULES, "Toilet kotor dan parkir sempit, antre juga")
    assert found == (Suggestion("U9", ("parkir", "toilet")), Suggestion("U3", ("antr*",)))


def test_a_several_word_keyword_needs_its_words_in_sequence():
    assert codes("main game pakai HP") == []
    assert codes("petugas main hp terus") == ["U7"]


def test_words_split_on_marks_and_fold_accents():
    assert words("Antre-an lamá, 2 jam!") == ("antre", "an", "lama", "2", "jam")


def test_a_nasal_prefix_gives_back_the_roots_first_letter():
    # meN- + t: menunggu -> tunggu; meny- + s: menyapu -> sapu; meng- + k: mengeluh -> keluh.
    assert {"tunggu"} <= word_forms("menunggu")
    assert {"sapu"} <= word_forms("menyapu")
    assert {"keluh"} <= word_forms("mengeluh")
    assert {"bayar"} <= word_forms("pembayaran")


@pytest.mark.parametrize(("keyword", "stored"), [
    ("Antre", "antre"), ("  antr* ", "antr*"), ("Main  HP", "main hp"), ("bolak-balik", "bolak balik"),
])
def test_keywords_are_normalised(keyword, stored):
    assert Rule.of("U3", keyword).keyword == stored


@pytest.mark.parametrize("keyword", ["", "*", "a", "an*t", "a" * 81])
def test_a_keyword_that_cannot_match_is_refused_by_name(keyword):
    with pytest.raises(ValueError, match="keyword"):
        Rule.of("U3", keyword)
