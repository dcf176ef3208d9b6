"""IPKP, IPAK and the index of invited answers per unit on a scope's ranking page and in its
figures exports (CSV, XLSX): each figure equals an independent computation from the raw rows
(response, instrument_answer), with the small-sample rule of the IKM, on SQLite and PostgreSQL.
"""

import csv
import io
import re
import uuid
from datetime import datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import openpyxl
import pytest
from sqlalchemy import select

from survey import instrument_store
from survey.formatting import number
from survey.invitations import codes
from survey.models import (INSTRUMENT_COLUMNS, Agency, InstrumentAnswer, Response, ServicePoint,
                           ServiceUnit)
from survey.responses import default_questionnaire, insert_rows, response_values

PERIOD = "2025-S1"
MINIMUM = 4  # SUARA_MIN_RESPONDENTS of these tests: fewer respondents make a figure provisional
ANSWERS = InstrumentAnswer.__table__

# Chosen here; the figures each implies, worked by hand, are checked against the raw rows below.
# zi-a, 5 respondents (the first and last invited), SKM values 4, 3, 3, 2, 4 on all nine
#   elements: IKM 16/5 x 25 = 80.00 B; invited (4, 4): 100.00, provisional (n 2 < 4).
#   SPKP (1..4): 32 + 24 + 28 + 16 + 32 = 132 over 5 x 8 answers: IPKP 3.30 (82.50, B), n 5.
#   SPAK (1..4), the fifth respondent skipped it: 20 + 19 + 15 + 10 = 64 over 4 x 5 answers:
#   IPAK 3.20 (80.00, B), n 4 (the minimum: not provisional).
# zi-b, 4 respondents all 3, all invited, asks neither survey: IKM 75.00 C, invited 75.00 C.
# zi-c, 2 respondents all 4 (small sample): IKM 100.00 provisional; SPKP (4,)*8 and (3,)*8:
#   56 over 16 answers, IPKP 3.50 provisional; no SPAK, no invited answer.
UNITS = {
    "zi-a": [(4, True, (4,) * 8, (4,) * 5), (3, False, (3,) * 8, (4, 4, 4, 4, 3)),
             (3, False, (4, 3) * 4, (3,) * 5), (2, False, (2,) * 8, (2,) * 5),
             (4, True, (4,) * 8, None)],
    "zi-b": [(3, True, None, None)] * 4,
    "zi-c": [(4, False, (4,) * 8, None), (4, False, (3,) * 8, None)],
}


def _add_unit(session, agency: Agency, slug: str, answers: list, at: datetime) -> None:
    unit = ServiceUnit(slug=slug, name=f"Unit {slug.upper()}", region_code="35.78",
                       agency_id=agency.id)
    session.add(unit)
    session.flush()
    point = ServicePoint(unit_id=unit.id, name="Loket 1", token=f"tok-{slug}")
    session.add(point)
    session.flush()
    invitations = iter(codes.issue(session, point, len(answers), source="sheet", now=at))
    questionnaire = default_questionnaire(session).id
    for number_, (value, invited, spkp, spak) in enumerate(answers, start=1):
        invitation = next(invitations) if invited else None
        when = at + timedelta(hours=number_)
        if invitation is not None:
            invitation.answered_at = when
        row = response_values(unit, questionnaire_id=questionnaire, submitted_at=when,
                              channel="link", answers={f"U{e}": value for e in range(1, 10)},
                              client_uuid=uuid.uuid4(),
                              invitation_id=None if invitation is None else invitation.id)
        insert_rows(session, [row])
        asked = {code: (4, items) for code, items in (("spkp", spkp), ("spak", spak)) if items}
        instrument_store.store(session, row, asked)


def _add_units(session, answers_by_slug: dict) -> Agency:
    agency = Agency(name="Dinas Rekap ZI", kind="dinas")
    session.add(agency)
    session.flush()
    agency.path = f"/{agency.id}/"
    for slug, answers in answers_by_slug.items():
        _add_unit(session, agency, slug, answers, datetime(2025, 3, 3, 1, tzinfo=timezone.utc))
    session.commit()
    return agency


@pytest.fixture
def scope(app, session, admin, monkeypatch):
    monkeypatch.setitem(app.config, "SUARA_MIN_RESPONDENTS", MINIMUM)
    return f"agency:{_add_units(session, UNITS).id}"


# --- the independent computation ----------------------------------------------------------


def _grade(on_four: Fraction) -> str:
    """Return the grade of PermenPANRB 14/2017 of an index on 1..4 (DESIGN.md §2 bounds)."""
    konversi = (Decimal(on_four.numerator) / on_four.denominator * 25).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    return ("A" if konversi >= Decimal("88.31") else "B" if konversi >= Decimal("76.61")
            else "C" if konversi >= Decimal("65.00") else "D")


def _shown(n: int, value: Fraction) -> tuple:
    """Return (n, value, grade or 'sementara') as the small-sample rule has it."""
    return n, value, "sementara" if n < MINIMUM else _grade(value)


def expected(session, slug: str) -> dict:
    """Return a unit's figures in 2025-S1 worked from its raw rows, by export heading."""
    unit_id = session.scalar(select(ServiceUnit.id).where(ServiceUnit.slug == slug))
    responses = session.execute(select(Response).where(
        Response.unit_id == unit_id, Response.excluded.is_(False))).scalars().all()
    found = {}
    for label, rows in (("", responses),
                        (" undangan", [r for r in responses if r.invitation_id is not None])):
        if rows:
            total = sum(getattr(r, f"u{e}") for r in rows for e in range(1, 10))
            n, ikm, grade = _shown(len(rows), Fraction(total, 9 * len(rows)))
            found.update({f"Responden{label}": n, f"IKM{label} konversi": ikm * 25,
                          f"Mutu{label}": grade})
    answered = session.execute(select(ANSWERS).join(Response, Response.id == ANSWERS.c.response_id)
                               .where(Response.unit_id == unit_id)).mappings().all()
    for code, short in (("spkp", "IPKP"), ("spak", "IPAK")):
        items = [[row[c] for c in INSTRUMENT_COLUMNS if row[c] is not None]
                 for row in answered if row["instrument"] == code]
        if items:
            n, index, grade = _shown(len(items), Fraction(sum(map(sum, items)),
                                                          sum(map(len, items))))
            found.update({f"Responden {short}": n, f"Skala {short}": 4,
                          f"Indeks {short}": index, f"Mutu {short}": grade})
    return found


def test_the_hand_worked_figures_are_the_raw_rows(session, scope):
    a, b, c = (expected(session, slug) for slug in UNITS)
    assert (a["IKM konversi"], a["Mutu"], a["Responden undangan"]) == (80, "B", 2)
    assert (a["IKM undangan konversi"], a["Mutu undangan"]) == (100, "sementara")
    assert (a["Indeks IPKP"], a["Mutu IPKP"], a["Responden IPKP"]) == (Fraction(33, 10), "B", 5)
    assert (a["Indeks IPAK"], a["Mutu IPAK"], a["Responden IPAK"]) == (Fraction(16, 5), "B", 4)
    assert (b["IKM undangan konversi"], b["Mutu undangan"]) == (75, "C")
    assert "Indeks IPKP" not in b and "Indeks IPAK" not in b
    assert (c["Mutu"], c["Indeks IPKP"], c["Mutu IPKP"]) == ("sementara", Fraction(7, 2),
                                                               "sementara")
    assert "Indeks IPAK" not in c and "Responden undangan" not in c


# --- the page -------------------------------------------------------------------------------


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _instrument_cells(page: str, slug: str) -> list[str]:
    row = re.search(rf'<tr>(?:(?!</tr>).)*?/dasbor/unit/{slug}\?(?:(?!</tr>).)*</tr>', page,
                    re.S).group(0)
    return [_text(cell) for cell in re.findall(r'<td class="num instrument">(.*?)</td>', row,
                                               re.S)]


def _cell(figures: dict, short: str) -> str:
    """Return a page cell as the template writes it: index, grade or 'sementara', (n)."""
    if f"Indeks {short}" not in figures:
        return "—"
    index = Decimal(figures[f"Indeks {short}"].numerator) / figures[f"Indeks {short}"].denominator
    return (f"{number(index.quantize(Decimal('0.01'), ROUND_HALF_UP))} "
            f"{figures[f'Mutu {short}']} ({figures[f'Responden {short}']})")


def test_the_ranking_shows_ipkp_and_ipak_with_their_n(admin, session, scope):
    page = admin.get(f"/dasbor/?scope={scope}&period={PERIOD}&group_by=unit")
    assert page.status_code == 200
    for slug in UNITS:
        figures = expected(session, slug)
        assert _instrument_cells(page.text, slug) == [_cell(figures, "IPKP"),
                                                      _cell(figures, "IPAK")]
    # From the comments of UNITS: zi-a graded, zi-b asks neither, zi-c provisional.
    assert _instrument_cells(page.text, "zi-a") == ["3,30 B (5)", "3,20 B (4)"]
    assert _instrument_cells(page.text, "zi-b") == ["—", "—"]
    assert _instrument_cells(page.text, "zi-c") == ["3,50 sementara (2)", "—"]


def test_page_and_export_cost_no_statement_per_unit(admin, session, scope, statements):
    address = f"/dasbor/?scope={scope}&period={PERIOD}&group_by=unit"
    export = f"/dasbor/unduh.csv?scope={scope}&period={PERIOD}"
    admin.get(address)
    first = list(statements)
    assert sum("rollup_instrument" in sql for sql in first) == 1
    del statements[:]
    admin.get(export).data  # the streamed body runs the statements
    first_export = list(statements)
    # The rekap's columns (one statement) and the Zona Integritas block below it (one).
    assert sum("rollup_instrument" in sql for sql in first_export) == 2
    # Three more units of the same agency asking both surveys: no statement more.
    agency_id = int(scope.split(":")[1])
    agency = session.get(Agency, agency_id)
    for slug in ("zi-d", "zi-e", "zi-f"):
        _add_unit(session, agency, slug, UNITS["zi-a"],
                  datetime(2025, 4, 7, 1, tzinfo=timezone.utc))
    session.commit()
    del statements[:]
    page = admin.get(address)
    assert _instrument_cells(page.text, "zi-e") == ["3,30 B (5)", "3,20 B (4)"]
    assert len(statements) == len(first), statements
    del statements[:]
    admin.get(export).data
    assert len(statements) == len(first_export), statements


# --- the exports ----------------------------------------------------------------------------


def _table(rows: list[list]) -> dict[str, dict]:
    """Return the unit rows of a figures sheet by unit code, each by heading."""
    head = next(i for i, row in enumerate(rows) if row and row[0] == "No")
    headings = rows[head]
    units = {}
    for row in rows[head + 1:]:
        if not row or not row[0] or not str(row[1]).startswith("zi-"):
            break
        units[row[1]] = dict(zip(headings, row))
    return units


COLUMNS = ("Responden", "IKM konversi", "Mutu", "Responden undangan", "IKM undangan konversi",
           "Mutu undangan", *(f"{heading} {short}" for short in ("IPKP", "IPAK")
                              for heading in ("Responden", "Skala", "Indeks", "Mutu")))


def _check(units: dict, session, read) -> None:
    assert set(units) == set(UNITS)
    for slug, row in units.items():
        figures = expected(session, slug)
        for column in COLUMNS:
            want, got = figures.get(column), read(row[column])
            if isinstance(want, Fraction):  # IKM exact; IPKP and IPAK as published (2 places)
                places = 2 if column.startswith("Indeks") else 9
                assert got == pytest.approx(float(want), abs=10 ** -places / 2), (slug, column)
            else:
                assert got == want, (slug, column)


def test_the_csv_export_has_invited_ikm_ipkp_and_ipak_per_unit(admin, session, scope):
    text = admin.get(f"/dasbor/unduh.csv?scope={scope}&period={PERIOD}").data.decode("utf-8-sig")
    units = _table(list(csv.reader(io.StringIO(text))))

    def read(cell: str):
        if cell == "":
            return None  # not asked, or no invited answer: an empty cell, never 0
        for kind in (int, float):
            try:
                return kind(cell)
            except ValueError:
                pass
        return cell
    _check(units, session, read)
    assert units["zi-b"]["Indeks IPKP"] == "" and units["zi-c"]["Responden undangan"] == ""


def test_the_xlsx_export_has_invited_ikm_ipkp_and_ipak_per_unit(admin, session, scope):
    body = admin.get(f"/dasbor/unduh.xlsx?scope={scope}&period={PERIOD}").data
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    units = _table([list(row) for row in sheet.iter_rows(values_only=True)])
    _check(units, session, lambda cell: int(cell) if isinstance(cell, float)
           and cell.is_integer() else cell)
    assert units["zi-b"]["Indeks IPAK"] is None and units["zi-a"]["Mutu undangan"] == "sementara"


# --- the API ----------------------------------------------------------------------------------


def test_the_aggregate_api_carries_each_units_ipkp_and_ipak_by_unit_only(client, session, scope):
    rows = client.get(f"/api/v1/aggregate?scope={scope}&period={PERIOD}").get_json()["rows"]
    for row in rows:
        want = expected(session, row["key"])
        got = row["instruments"]
        for code, short in (("spkp", "IPKP"), ("spak", "IPAK")):
            if f"Indeks {short}" not in want:
                assert code not in got  # not asked, or no answer in the period
                continue
            figure = got[code]
            index = want[f"Indeks {short}"]
            assert (figure["n"], figure["scale_max"]) == (want[f"Responden {short}"], 4)
            assert Decimal(str(figure["index"])) == (Decimal(index.numerator) / index.denominator
                                                     ).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert figure["provisional"] == (want[f"Mutu {short}"] == "sementara")
            assert (figure["band"] or {}).get("letter", "sementara") == want[f"Mutu {short}"]
    assert {row["key"] for row in rows} == set(UNITS)
    grouped = client.get(f"/api/v1/aggregate?scope={scope}&period={PERIOD}&group_by=regency")
    assert all("instruments" not in row for row in grouped.get_json()["rows"])
