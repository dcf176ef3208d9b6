"""Tests of analysis.ikm against worked examples of PermenPANRB 14/2017."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis.ikm import (
    CONVENTIONS, GRADE_A, GRADE_B, GRADE_C, GRADE_D, KEPMENPAN_25_2004, compute_ikm,
    grade_for, mean_of_units, pool, round_half_up, weight,
)

# Published: Kanwil Kemenag Sulawesi Barat, n = 29 (DESIGN.md section 2).
SULBAR_SUMS = (105, 101, 100, 116, 102, 105, 106, 105, 115)
SULBAR_COUNTS = (29,) * 9

# Invented unit, 10 respondents.  Hand computation:
#   total = 32+30+28+35+31+33+36+25+29 = 279, sum of NRR = 27.9
#   exact: IKM = 27.9/9 = 3.1,          konversi = 3.1*25     = 77.50  -> B (76.61..88.30)
#   w0111: IKM = 27.9*0.111 = 3.0969,   konversi = 3.0969*25  = 77.4225 -> 77.42 B
#   w011:  IKM = 27.9*0.11  = 3.069,    konversi = 3.069*25   = 76.725  -> 76.73 B
#   elements: U4 35/10 = 3.5 -> 87.50 B; U7 3.6 -> 90.00 A; U3 2.8 -> 70.00 C; U8 2.5 -> 62.50 D
TEN_SUMS = (32, 30, 28, 35, 31, 33, 36, 25, 29)
TEN_COUNTS = (10,) * 9


@pytest.mark.parametrize(("convention", "expected"), [
    ("exact", "91.48"),  # 955/29/9*25 = 23875/261 = 91.4751 (DESIGN.md worked check)
    ("w0111", "91.38"),  # 955/29*0.111*25 = 91.3836 (DESIGN.md worked check)
    ("w011", "90.56"),   # 955/29*0.11*25 = 90.5603, the published figure (DESIGN.md)
])
def test_sulbar_published_example(convention, expected):
    result = compute_ikm(SULBAR_SUMS, SULBAR_COUNTS, convention=convention)
    assert result.konversi_rounded == Decimal(expected)
    assert result.grade == GRADE_A
    assert result.respondents == 29


def test_sulbar_exact_values_are_fractions():
    result = compute_ikm(SULBAR_SUMS, SULBAR_COUNTS)
    # Hand: total 955; IKM = 955/(29*9) = 955/261; konversi = 955*25/261 = 23875/261.
    assert result.ikm == Fraction(955, 261)
    assert result.konversi == Fraction(23875, 261)
    # U4: 116/29 = 4 exactly -> 100.00 A; U3: 100/29 = 3.448..., *25 = 86.2068... -> 86.21 B.
    assert result.element("U4").nrr == 4
    assert result.element("U4").konversi == Decimal("100.00")
    assert result.element("U3").konversi == Decimal("86.21")
    assert result.element("U3").grade == GRADE_B


@pytest.mark.parametrize(("convention", "expected"), [
    ("exact", "77.50"), ("w0111", "77.42"), ("w011", "76.73"),  # hand computation above
])
def test_ten_respondent_example(convention, expected):
    result = compute_ikm(TEN_SUMS, TEN_COUNTS, convention=convention)
    assert result.konversi_rounded == Decimal(expected)
    assert result.grade == GRADE_B


def test_ten_respondent_element_grades():
    result = compute_ikm(TEN_SUMS, TEN_COUNTS)
    assert result.ikm == Fraction(31, 10)  # 279/90, hand computation above
    grades = {e.code: (e.konversi, e.grade) for e in result.elements}
    assert grades["U4"] == (Decimal("87.50"), GRADE_B)
    assert grades["U7"] == (Decimal("90.00"), GRADE_A)
    assert grades["U3"] == (Decimal("70.00"), GRADE_C)
    assert grades["U8"] == (Decimal("62.50"), GRADE_D)
    assert result.element("U8").nrr_weighted == Fraction(5, 2) / 9


def test_convention_moves_a_result_across_a_grade_boundary():
    # Invented: 10 respondents, sums total 318 (sum of NRR 31.8).
    #   exact 31.8/9*25 = 88.333 -> 88.33 A; w0111 31.8*0.111*25 = 88.245 -> 88.25 B;
    #   w011 31.8*0.11*25 = 87.45 B.  The reason DESIGN.md asks to print the convention.
    sums = (36, 35, 35, 35, 35, 35, 36, 35, 36)
    results = {c: compute_ikm(sums, TEN_COUNTS, convention=c) for c in CONVENTIONS}
    assert results["exact"].konversi_rounded == Decimal("88.33")
    assert results["exact"].grade == GRADE_A
    assert results["w0111"].konversi_rounded == Decimal("88.25")
    assert results["w0111"].grade == GRADE_B
    assert results["w011"].konversi_rounded == Decimal("87.45")


@pytest.mark.parametrize(("konversi", "grade"), [
    # PermenPANRB 14/2017 table (DESIGN.md section 2).
    ("25.00", GRADE_D), ("64.99", GRADE_D), ("65.00", GRADE_C), ("76.60", GRADE_C),
    ("76.61", GRADE_B), ("88.30", GRADE_B), ("88.31", GRADE_A), ("100", GRADE_A),
    # Half-up rounding decides: 64.995 -> 65.00, 76.605 -> 76.61, 88.305 -> 88.31.
    ("64.994", GRADE_D), ("64.995", GRADE_C), ("76.604", GRADE_C), ("76.605", GRADE_B),
    ("88.304", GRADE_B), ("88.305", GRADE_A),
])
def test_permenpanrb_grade_bounds(konversi, grade):
    assert grade_for(Decimal(konversi)) == grade


@pytest.mark.parametrize(("konversi", "grade"), [
    # KepMenPAN 25/2004 table (DESIGN.md section 2).
    ("25.00", GRADE_D), ("43.75", GRADE_D), ("43.76", GRADE_C), ("62.50", GRADE_C),
    ("62.51", GRADE_B), ("81.25", GRADE_B), ("81.26", GRADE_A), ("100.00", GRADE_A),
    ("43.755", GRADE_C), ("81.255", GRADE_A),
])
def test_legacy_grade_bounds(konversi, grade):
    assert grade_for(Decimal(konversi), KEPMENPAN_25_2004) == grade


def test_grade_accepts_fractions_and_floats():
    assert grade_for(Fraction(88305, 1000)) == GRADE_A
    assert grade_for(88.305) == GRADE_A  # read as its decimal repr, not 88.30499999...
    assert grade_for(88.30) == GRADE_B


def test_grade_labels():
    assert (GRADE_A.label_id, GRADE_A.label_en) == ("Sangat baik", "Very good")
    assert GRADE_C.label("en") == "Fair"
    assert GRADE_D.label() == "Tidak baik"


@pytest.mark.parametrize(("value", "expected"), [
    (Decimal("88.305"), "88.31"), (Decimal("76.605"), "76.61"), (Decimal("64.995"), "65.00"),
    (Fraction(88305, 1000), "88.31"), (88.305, "88.31"), ("76.605", "76.61"),
    (Decimal("88.3049999"), "88.30"), (100, "100.00"), (Decimal("-1.005"), "-1.01"),
    (Fraction(23875, 261), "91.48"),
])
def test_round_half_up(value, expected):
    assert str(round_half_up(value)) == expected


def test_round_half_up_places():
    assert round_half_up(Fraction(1, 9), 3) == Decimal("0.111")
    assert round_half_up(Fraction(1, 14), 3) == Decimal("0.071")
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")


@pytest.mark.parametrize(("n", "convention", "expected"), [
    (9, "exact", Fraction(1, 9)), (9, "w0111", Fraction("0.111")), (9, "w011", Fraction("0.11")),
    (14, "exact", Fraction(1, 14)), (14, "w0111", Fraction("0.071")),  # legacy 0.071 (DESIGN.md)
    (14, "w011", Fraction("0.07")),
])
def test_weight(n, convention, expected):
    assert weight(n, convention) == expected


@pytest.mark.parametrize(("answer", "convention", "expected"), [
    # All-4 unit: 4*9*w*25 -> exact 100, 0.111 -> 99.90, 0.11 -> 99.00 (DESIGN.md section 2).
    (4, "exact", "100.00"), (4, "w0111", "99.90"), (4, "w011", "99.00"),
    # All-1 unit: 9*w*25 -> exact 25; 0.111 -> 24.975 -> 24.98; 0.11 -> 24.75 (graded D).
    (1, "exact", "25.00"), (1, "w0111", "24.98"), (1, "w011", "24.75"),
])
def test_uniform_units(answer, convention, expected):
    result = compute_ikm([answer * 20] * 9, [20] * 9, convention=convention)
    assert result.konversi_rounded == Decimal(expected)
    assert result.grade == (GRADE_A if answer == 4 else GRADE_D)


def test_all_four_exact_is_exactly_100():
    assert compute_ikm([80] * 9, [20] * 9).konversi == 100


def test_legacy_fourteen_elements():
    # Invented, 20 respondents, 14 elements (KepMenPAN 25/2004).  Hand computation:
    #   total = 840, sum of NRR = 42; exact IKM = 42/14 = 3.0 -> 75.00, legacy B (62.51..81.25)
    #   but C under PermenPANRB 14/2017; 0.071: 42*0.071*25 = 74.55; 0.07: 42*0.07*25 = 73.50.
    #   U7 50/20 = 2.5 -> 62.50 legacy C; U6 70/20 = 3.5 -> 87.50 legacy A.
    sums = (60, 62, 58, 64, 56, 70, 50, 66, 54, 60, 68, 52, 62, 58)
    counts = (20,) * 14
    exact = compute_ikm(sums, counts, scheme=KEPMENPAN_25_2004)
    assert exact.ikm == 3
    assert exact.konversi_rounded == Decimal("75.00")
    assert exact.grade == GRADE_B
    assert exact.element("U7").grade == GRADE_C
    assert exact.element("U6").grade == GRADE_A
    assert exact.element("U14").weight == Fraction(1, 14)
    assert compute_ikm(sums, counts).grade == GRADE_C
    w0111 = compute_ikm(sums, counts, convention="w0111", scheme=KEPMENPAN_25_2004)
    assert w0111.konversi_rounded == Decimal("74.55")
    w011 = compute_ikm(sums, counts, convention="w011", scheme=KEPMENPAN_25_2004)
    assert w011.konversi_rounded == Decimal("73.50")


def test_unequal_counts_and_custom_codes():
    # Hand: NRR 7/2 and 9/3; IKM = (3.5 + 3)/2 = 3.25 -> 81.25 B; respondents = max count 3.
    result = compute_ikm([7, 9], [2, 3], codes=["A1", "A2"])
    assert result.ikm == Fraction(13, 4)
    assert result.konversi_rounded == Decimal("81.25")
    assert [e.code for e in result.elements] == ["A1", "A2"]
    assert result.respondents == 3


def test_accepts_whole_decimals_from_sql():
    # PostgreSQL's SUM over bigint returns numeric, i.e. Decimal: same result as ints.
    sums = [Decimal(s) for s in SULBAR_SUMS]
    assert compute_ikm(sums, [Decimal(29)] * 9) == compute_ikm(SULBAR_SUMS, SULBAR_COUNTS)


def test_repr_is_readable():
    result = compute_ikm(SULBAR_SUMS, SULBAR_COUNTS)
    assert "konversi=91.48" in repr(result)
    assert "'A'" in repr(result)
    assert repr(result.elements[0]).startswith("ElementResult('U1', n=29, total=105, nrr=3.6207")


@pytest.mark.parametrize(("sums", "counts", "options", "message"), [
    ([10], [-1], {}, "-1"),
    ([0], [0], {}, "U1 has no answers"),
    ([10, 41], [10, 10], {}, "41"),
    ([9, 40], [10, 10], {}, "9"),
    ([10, 10], [10], {}, "2 sums but 1 counts"),
    ([], [], {}, "at least one element"),
    ([10], [10], {"convention": "w01"}, "'w01'"),
    ([10], [10], {"scheme": "permen-2099"}, "'permen-2099'"),
    ([10, 10], [10, 10], {"codes": ["U1"]}, "1 codes"),
    ([10, 10], [10, 10], {"codes": ["U1", "U1"]}, "unique"),
    ([10.5], [10], {}, "whole number, got 10.5"),
    ([10], ["ten"], {}, "'ten'"),
    ([40] * 7, [10] * 7, {"convention": "w0111"}, "1.001"),  # 7 x 0.143 = 1.001 > 1
])
def test_invalid_input_names_the_value(sums, counts, options, message):
    with pytest.raises(ValueError, match=message):
        compute_ikm(sums, counts, **options)


@pytest.mark.parametrize(("value", "message"), [(101, "101"), (-3, "-3"), ("x", "'x'"),
                                                (float("nan"), "nan")])
def test_grade_rejects_out_of_range(value, message):
    with pytest.raises(ValueError, match=message):
        grade_for(value)


def test_weight_rejects_bad_input():
    with pytest.raises(ValueError, match="0"):
        weight(0)
    with pytest.raises(ValueError, match="'half'"):
        weight(9, "half")


def test_pool_and_mean_of_units():
    # Pooled = formula on summed sums/counts: SULBAR + TEN -> sums added, counts 39.
    pooled = pool([(SULBAR_SUMS, SULBAR_COUNTS), (TEN_SUMS, TEN_COUNTS)])
    # Hand: total 955 + 279 = 1234 over 39 respondents: 1234/39/9*25 = 87.8917 -> 87.89 B.
    assert pooled.konversi == Fraction(1234 * 25, 39 * 9)
    assert pooled.konversi_rounded == Decimal("87.89")
    assert pooled.respondents == 39
    units = [compute_ikm(SULBAR_SUMS, SULBAR_COUNTS), compute_ikm(TEN_SUMS, TEN_COUNTS)]
    # Hand: (23875/261 + 77.5)/2 = 84.4876 (each unit once, exact before rounding).
    assert mean_of_units(units) == (Fraction(23875, 261) + Fraction(155, 2)) / 2
    assert round_half_up(mean_of_units(units)) == Decimal("84.49")


def test_pool_and_mean_reject_bad_input():
    with pytest.raises(ValueError, match="0"):
        pool([])
    with pytest.raises(ValueError, match="9 sums"):
        pool([(SULBAR_SUMS, SULBAR_COUNTS), ((1, 2), (1, 1))])
    with pytest.raises(ValueError, match="0"):
        mean_of_units([])
    mixed = [compute_ikm(TEN_SUMS, TEN_COUNTS), compute_ikm(TEN_SUMS, TEN_COUNTS, convention="w011")]
    with pytest.raises(ValueError, match="w011"):
        mean_of_units(mixed)


answers = st.integers(min_value=1, max_value=4)
response_sets = st.lists(st.lists(answers, min_size=9, max_size=9), min_size=1, max_size=30)


def _sums_counts(responses):
    """Return per-element sums and counts of complete raw responses."""
    return [sum(column) for column in zip(*responses)], [len(responses)] * 9


@settings(max_examples=200, deadline=None)
@given(response_sets, response_sets)
def test_pooled_equals_concatenated(first, second):
    pooled = pool([_sums_counts(first), _sums_counts(second)])
    assert pooled == compute_ikm(*_sums_counts(first + second))


@settings(max_examples=200, deadline=None)
@given(response_sets)
def test_exact_ikm_is_mean_of_respondent_means(responses):
    # With exact weights and complete answers IKM = average respondent mean (DESIGN.md 5).
    expected = sum(Fraction(sum(r), 9) for r in responses) / len(responses)
    assert compute_ikm(*_sums_counts(responses)).ikm == expected


element_data = st.lists(
    st.integers(min_value=1, max_value=500).flatmap(
        lambda n: st.tuples(st.integers(min_value=n, max_value=4 * n), st.just(n))),
    min_size=1, max_size=14)


@settings(max_examples=300, deadline=None)
@given(element_data)
def test_konversi_within_25_and_100(data):
    result = compute_ikm([s for s, _ in data], [n for _, n in data])
    assert 25 <= result.konversi <= 100
    assert all(25 <= e.konversi <= 100 for e in result.elements)


@settings(max_examples=300, deadline=None)
@given(element_data, st.sampled_from(CONVENTIONS))
def test_adding_all_four_response_never_lowers(data, convention):
    sums, counts = [s for s, _ in data], [n for _, n in data]
    # Rounded weights that sum above 1 (0.143 x 7) are refused; see test_invalid_input.
    assume(weight(len(data), convention) * len(data) <= 1)
    before = compute_ikm(sums, counts, convention=convention)
    after = compute_ikm([s + 4 for s in sums], [n + 1 for n in counts], convention=convention)
    assert after.konversi >= before.konversi
