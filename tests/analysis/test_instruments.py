"""SPKP/SPAK arithmetic, checked against a published unit report and hand computations."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import instruments as zi
from analysis.ikm import round_half_up

# "Laporan Survei Persepsi Anti Korupsi (SPAK), Unit Layanan Terpadu BBPMP Jatim, periode
# Juli - Januari 2023" (made with SurveiKu; published in kokekkonsultan/surveiku_spak_spkp at
# 9990b84, assets/klien/file/laporan/pdf/cst344-2fbaa9c4-....pdf), pages 6-9: answers 1..4 per
# item, N = 295, item means 3.949 / 3.905 / 3.939 / 3.939, index 3.933, konversi 98.33.
BBPMP_COUNTS = ((2, 1, 7, 285), (4, 5, 6, 280), (1, 3, 9, 282), (2, 2, 8, 283))
BBPMP_N = 295
BBPMP = zi.Instrument(
    code="spak-bbpmp", name_id="Survei Persepsi Anti Korupsi",
    name_en="Anti-Corruption Perception Survey", short_id="IPAK", short_en="IPAK",
    source="SurveiKu vendor items (BBPMP Jatim 2023)",
    items=tuple(zi.InstrumentItem(f"U{i}", name, name, name.lower()) for i, name in
                enumerate(("Informasi", "Imbalan", "Percaloan", "KKN"), start=1)),
    scale_max=4, labels_id=zi.LABELS_4_ID, labels_en=zi.LABELS_4_EN, bands=zi.BANDS)


def sums_of(counts):
    return [sum(v * c for v, c in enumerate(row, start=1)) for row in counts]


def test_bbpmp_report_reproduced_at_printed_precision():
    sums = sums_of(BBPMP_COUNTS)
    assert sums == [1165, 1152, 1162, 1162]  # hand sums of the published counts
    assert all(sum(row) == BBPMP_N for row in BBPMP_COUNTS)
    means = zi.item_means(sums, BBPMP_N, BBPMP.scale_max)
    assert [round_half_up(m, 3) for m in means] == [
        Decimal("3.949"), Decimal("3.905"), Decimal("3.939"), Decimal("3.939")]
    value = zi.index(sums, BBPMP_N, 4)
    assert value == Fraction(4641, 1180)  # 4641 answer points over 1180 answers, exact
    assert round_half_up(value, 3) == Decimal("3.933")
    assert round_half_up(zi.konversi(value, 4), 2) == Decimal("98.33")
    # Converting the rounded 3.933 would give the tie 98.325: the report used the unrounded.
    assert zi.konversi(Decimal("3.933"), 4) == Fraction("98.325")
    assert zi.band_of(BBPMP, value).label_id == "Sangat baik"  # published "Sangat Baik"
    # Percentages as printed: 2/295 = 0.68 %, 285/295 = 96.61 %.
    assert zi.percent(2, BBPMP_N) == Decimal("0.68")
    assert zi.percent(285, BBPMP_N) == Decimal("96.61")


@pytest.mark.parametrize("index, printed", [("3.95", "98.75"), ("3.96", "99.00")])
def test_pa_bontang_konversi(index, printed):
    # PA Bontang, Triwulan II 2025: SPKP "3,95 ... 98,75%", SPAK "3,96 ... 99,00%".
    assert round_half_up(zi.konversi(Decimal(index), 4), 2) == Decimal(printed)


def test_instruments_as_defined():
    assert [i.aspect for i in zi.SPKP.items] == [
        "informasi", "persyaratan", "prosedur", "waktu", "biaya", "sarana", "respon",
        "pengaduan"]
    assert [i.aspect for i in zi.SPAK.items] == [
        "diskriminasi", "kecurangan", "imbalan", "pungli", "calo"]
    assert all(i.text_id.startswith("Tidak ada") for i in zi.SPAK.items)
    assert zi.INSTRUMENTS["spkp"] is zi.SPKP and zi.INSTRUMENTS["spak"] is zi.SPAK
    assert zi.SPKP.short_id == "IPKP" and zi.SPAK.short_id == "IPAK"
    assert zi.SPKP.labels_id == ("Sangat tidak setuju", "Tidak setuju", "Setuju",
                                 "Sangat setuju")


def test_six_point_variant():
    six = zi.with_scale(zi.SPAK, 6)
    assert six.scale_max == 6 and len(six.labels_id) == 6 and six.items == zi.SPAK.items
    assert zi.SPAK.scale_max == 4  # the default is untouched
    with pytest.raises(ValueError, match="scale_max"):
        zi.with_scale(zi.SPAK, 5)


@pytest.mark.parametrize("six, four", [(1, 1), (6, 4), (Fraction(7, 2), Fraction(5, 2)),
                                       (Fraction(27, 5), Fraction(91, 25))])
def test_on_four_point(six, four):
    # 1 + (x - 1) * 3 / 5: 3.5 -> 2.5 (the midpoints match); 5.4 -> 1 + 4.4 * 0.6 = 3.64.
    assert zi.on_four_point(six, 6) == four
    assert zi.on_four_point(four, 4) == four


def test_six_point_band_and_konversi():
    six = zi.with_scale(zi.SPKP, 6)
    assert zi.band_of(six, Fraction(27, 5)).letter == "A"  # 3.64 on four points
    assert zi.konversi(Fraction(27, 5), 6) == 90  # 5.4 * 100 / 6
    with pytest.raises(ValueError, match="within 1..6"):
        zi.on_four_point(7, 6)


@pytest.mark.parametrize("value, letter", [
    # SKM bounds (PermenPANRB 14/2017) on the konversi rounded to 2 decimals.
    (Decimal("4"), "A"), (Decimal("3.5324"), "A"), (Decimal("3.5322"), "A"),  # 88.305 -> 88.31
    (Decimal("3.5318"), "B"), (Decimal("3.0644"), "B"), (Decimal("3.064"), "C"),
    (Decimal("2.60"), "C"), (Decimal("2.5996"), "D"), (Decimal("1"), "D")])
def test_bands(value, letter):
    assert zi.band_of(zi.SPKP, value).letter == letter


def test_interval_of_constant_answers_has_zero_width():
    # 10 respondents answering 4 on all five items: totals 20, squares 400.
    ci = zi.index_interval(10, 200, 4000, 5, 4)
    assert (ci.low, ci.high, ci.margin) == (4.0, 4.0, 0.0)
    assert zi.index_interval(1, 20, 400, 5, 4) is None


def test_interval_by_hand():
    # Respondent totals over k = 2 items: 4, 6, 8 -> means 2, 3, 4; mean 3, sd 1,
    # t(0.975, 2) = 4.302653 -> margin 4.302653 / sqrt(3) = 2.484138.
    ci = zi.index_interval(3, 18, 16 + 36 + 64, 2, 4)
    assert ci.estimate == pytest.approx(3.0)
    assert ci.margin == pytest.approx(4.302653 / 3 ** 0.5, abs=1e-6)


def test_interval_refuses_impossible_sums():
    with pytest.raises(ValueError, match="total_sum"):
        zi.index_interval(3, 30, 400, 2, 4)  # more than 3 x 2 x 4 = 24


answer_sets = st.lists(st.lists(st.integers(1, 6), min_size=3, max_size=3),
                       min_size=2, max_size=40)


@settings(max_examples=60, deadline=None)
@given(answer_sets)
def test_interval_contains_the_index(rows):
    k, n = 3, len(rows)
    sums = [sum(row[j] for row in rows) for j in range(k)]
    totals = [sum(row) for row in rows]
    value = zi.index(sums, n, 6)
    assert value == Fraction(sum(totals), n * k)  # mean of item means = mean of all answers
    ci = zi.index_interval(n, sum(totals), sum(t * t for t in totals), k, 6)
    assert ci.low - 1e-9 <= float(value) <= ci.high + 1e-9
    assert ci.estimate == pytest.approx(float(value))


def test_targets_and_lke_points():
    assert zi.ZI_TARGETS["wbk"] == {"ipak": 3.60, "ipkp": 3.20}
    # LKE: 15.75 / 17.5 x 4 = 3.6 and 14 / 17.5 x 4 = 3.2.
    assert zi.lke_points(Fraction(18, 5)) == Fraction("15.75")
    assert zi.lke_points(Fraction(16, 5)) == 14
    assert round_half_up(zi.lke_points(Decimal("3.933")), 2) == Decimal("17.21")
    assert zi.meets_target("wbk", Decimal("3.20"), Decimal("3.60"))
    assert not zi.meets_target("wbbm", Decimal("3.20"), Decimal("3.60"))
    assert zi.meets_target("wbbm", Decimal("3.60"), Decimal("3.933"))
    assert not zi.meets_target("wbk", Decimal("3.95"), Decimal("3.599"))
    with pytest.raises(ValueError, match="zone kind"):
        zi.meets_target("zi", 4, 4)


def test_errors_name_the_bad_value():
    with pytest.raises(ValueError, match="sum of item 2"):
        zi.item_means([295, 2000], 295, 4)
    with pytest.raises(ValueError, match="n must be >= 1"):
        zi.index([1], 0)
    with pytest.raises(ValueError, match="scale_max"):
        zi.with_scale(zi.SPKP, 10)


def test_adequacy_reuses_krejcie_morgan():
    # Krejcie & Morgan: population 1 000 -> 278 (DESIGN section 2).
    found = zi.adequacy(295, 1000)
    assert (found.required, found.adequate) == (278, True)
