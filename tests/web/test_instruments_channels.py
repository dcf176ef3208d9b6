"""SPKP and SPAK by every channel besides the citizen form: the kiosk (and its offline
replay), paper entry by staff, and file imports. Each keeps the form's rules: an instrument is
answered whole or not at all, on its scale, stored with its response in one transaction, and
its rollups stay exact (instrument_store.differences is empty)."""

import csv
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from analysis.instruments import SPAK as SPAK_INSTRUMENT, SPKP as SPKP_INSTRUMENT
from survey import instrument_store
from survey.cli import cli
from survey.exchange import reading
from survey.exchange.signing import ExchangeRefused
from survey.history_import import mapping
from survey.models import (InstrumentAnswer, PointInstrument, Response, RollupInstrument,
                           ServicePoint, ServiceUnit)
from survey.queries import ROLLUP_STATISTICS
from tests.web.test_form import form_data
from tests.web.test_form import point  # noqa: F401 (the fixture)
from tests.web.test_history_import import GOOGLE_HEADER, GOOGLE_ROWS
from tests.web.test_kiosk import enrol_tablet, iso, ticket_token
from tests.web.test_response_import import make_unit, write
from tests.web.test_staff import batch_address, sheet  # noqa: F401 (a fixture)

# Chosen here: SPAK 4, 3, 4, 4, 2 (sum 17); SPKP on six points 2, 3, 4, 5, 6, 1, 2, 3 (sum 26).
SPAK = {"spak_1": "4", "spak_2": "3", "spak_3": "4", "spak_4": "4", "spak_5": "2"}
SPKP = {f"spkp_{n}": str(n % 6 + 1) for n in range(1, 9)}


def answers(session) -> list:
    return list(session.execute(select(InstrumentAnswer.__table__)
                                .order_by(InstrumentAnswer.__table__.c.instrument)).mappings())


def responses(session) -> int:
    return session.scalar(select(func.count()).select_from(Response))


def month_rows(session) -> dict:
    """Return {(instrument, scale): (n, t)} of the month rows of rollup_instrument."""
    rows = session.scalars(select(RollupInstrument).where(RollupInstrument.months == 1))
    return {(row.instrument, row.scale_max): (row.n, row.t) for row in rows}


@pytest.fixture
def asking(session, point):  # noqa: F811 (the fixture above)
    """The test point asking SPKP on six points and SPAK on four."""
    session.add_all([PointInstrument(point_id=point.id, instrument="spkp", scale_max=6),
                     PointInstrument(point_id=point.id, instrument="spak", scale_max=4)])
    session.commit()
    return point


# --- Kiosk ---------------------------------------------------------------------------------

@pytest.fixture
def kiosk(app, client, session, asking):
    """The asking point, with the test client enrolled as its tablet."""
    enrol_tablet(app, client, session, asking)
    return asking


def test_the_kiosk_shows_spkp_and_spak_after_the_skm(client, kiosk):
    html = client.get("/k/tok-uji-1").text
    assert 'name="spkp_8" value="6"' in html and 'name="spak_5" value="4"' in html
    assert 'name="spak_5" value="5"' not in html  # SPAK on four points
    assert html.index('name="U9"') < html.index('id="spkp"') < html.index('id="spak"') \
        < html.index('name="gender"')


def test_a_kiosk_answer_stores_both_instruments_with_the_response(app, client, session, kiosk):
    answer = client.post("/k/tok-uji-1", data=form_data(app, kiosk, **SPKP, **SPAK))
    assert answer.status_code == 303
    (response,) = session.scalars(select(Response))
    assert response.channel == "kiosk"
    spak, spkp = answers(session)
    assert spak["response_id"] == spkp["response_id"] == response.id
    assert (spak["a1"], spak["a5"], spak["a6"]) == (4, 2, None)
    assert spkp["scale_max"] == 6 and spkp["a5"] == 6
    assert month_rows(session) == {("spak", 4): (1, 17), ("spkp", 6): (1, 26)}
    assert instrument_store.differences(session) == []


def test_a_half_answered_instrument_on_the_kiosk_stores_nothing(app, client, session, kiosk):
    answer = client.post("/k/tok-uji-1", data=form_data(app, kiosk, **SPAK,
                                                          spkp_1="3"))
    assert answer.status_code == 422
    assert "Mohon jawab semua 8 pernyataan SPKP ini" in answer.text
    assert 'name="spkp_1" value="3" checked' in answer.text
    assert responses(session) == 0 and answers(session) == []


def test_an_answer_queued_offline_replays_its_instruments_once_dated_when_given(
        app, client, session, kiosk):
    # Answered two days ago on a page issued three days ago; replayed twice (a lost reply).
    issued = int(time.time()) - 3 * 24 * 3600
    given = datetime.now(timezone.utc) - timedelta(days=2)
    data = {**form_data(app, kiosk, **SPAK), "answered_at": iso(given),
            "csrf_token": ticket_token(app, "tok-uji-1", issued)}
    for _ in range(2):
        assert client.post("/k/tok-uji-1", data=data).status_code == 303
    (response,) = session.scalars(select(Response))
    assert abs(response.submitted_at - given) < timedelta(seconds=1)
    (spak,) = answers(session)
    assert spak["response_id"] == response.id
    assert month_rows(session) == {("spak", 4): (1, 17)}
    assert instrument_store.differences(session) == []


# --- Paper entry by staff ------------------------------------------------------------------

def ask_at_unit(session, slug: str, *asked: tuple[str, int]) -> None:
    """Give a unit a point per (instrument, scale) given, asking it, e.g. ("spak", 4)."""
    unit = session.scalars(select(ServiceUnit).where(ServiceUnit.slug == slug)).one()
    for number, (code, scale) in enumerate(asked, start=1):
        point = ServicePoint(unit_id=unit.id, name=f"Loket {number}", token=f"tok-zi-{number}")
        session.add(point)
        session.flush()
        session.add(PointInstrument(point_id=point.id, instrument=code, scale_max=scale))
    session.commit()


def test_the_paper_form_shows_the_units_instruments_and_stores_them_staff_entered(
        client, session, batch_address):
    ask_at_unit(session, "unit-sby", ("spak", 4))
    html = client.get(batch_address).text
    assert 'name="spak_5"' in html and 'pattern="[1-4]"' in html and "spkp_1" not in html
    answer = client.post(batch_address, data=sheet(client, **SPAK))
    assert answer.status_code == 303
    (response,) = session.scalars(select(Response).where(Response.channel == "paper"))
    assert response.batch_id is not None  # staff-entered: typed in a batch
    (spak,) = answers(session)
    assert spak["response_id"] == response.id and spak["a2"] == 3
    assert month_rows(session) == {("spak", 4): (1, 17)}
    assert instrument_store.differences(session) == []


def test_a_sheet_without_instrument_answers_stores_the_skm_alone(client, session,
                                                                  batch_address):
    ask_at_unit(session, "unit-sby", ("spak", 4))
    assert client.post(batch_address, data=sheet(client)).status_code == 303
    assert answers(session) == [] and month_rows(session) == {}


def test_a_half_typed_or_off_scale_instrument_is_named_and_nothing_is_stored(
        client, session, batch_address):
    ask_at_unit(session, "unit-sby", ("spak", 4))
    before = responses(session)
    half = client.post(batch_address, data=sheet(client, spak_1="4", spak_2="3"))
    assert half.status_code == 200
    assert "Isi semua 5 pernyataan SPAK (angka 1 sampai 4)" in half.text
    assert 'name="spak_2" value="3"' in half.text  # kept for the typist
    off = client.post(batch_address, data=sheet(client, **{**SPAK, "spak_5": "5"}))
    assert "Isi semua 5 pernyataan SPAK" in off.text
    assert responses(session) == before and answers(session) == []


def test_points_on_two_scales_let_the_typist_pick_the_sheets(client, session, batch_address):
    ask_at_unit(session, "unit-sby", ("spkp", 4), ("spkp", 6))
    html = client.get(batch_address).text
    assert '<option value="4" selected>1–4</option><option value="6">1–6</option>' in html
    answer = client.post(batch_address, data=sheet(client, **SPKP, spkp_scale="6"))
    assert answer.status_code == 303
    (spkp,) = answers(session)
    assert spkp["scale_max"] == 6 and spkp["a5"] == 6
    assert month_rows(session) == {("spkp", 6): (1, 26)}
    assert instrument_store.differences(session) == []


# --- Imports: `suara import` of SUARA's columns, and of other tools' files ---------------------

IMPORT_HEADER = ("submitted_at,gender,age,education,occupation,service_type,"
                 "u1,u2,u3,u4,u5,u6,u7,u8,u9,suggestion,"
                 "spkp1,spkp2,spkp3,spkp4,spkp5,spkp6,spkp7,spkp8,spak1,spak2,spak3,spak4,spak5\n")
SKM_ROW = "2026-03-14 09:30,L,30,SMA,PNS,KTP,4,4,4,4,4,4,4,4,4,"


def run_import(runner, path, *options):
    return runner.invoke(cli, ["import", str(path), "--unit", "pkm-kenjeran", *options])


@pytest.fixture
def unit(session):
    return make_unit(session, "pkm-kenjeran", "Puskesmas Kenjeran", "35.78")


def test_imported_rows_carry_spkp_and_spak_each_whole_or_blank(runner, session, unit,
                                                               tmp_path):
    text = IMPORT_HEADER + (
        f"{SKM_ROW},2,3,4,5,6,1,2,3,4,3,4,4,2\n"   # both; SPKP on six points
        f"{SKM_ROW},,,,,,,,,4,4,4,4,4\n"           # SPAK only
        f"{SKM_ROW},,,,,,,,,,,,,\n")               # the SKM only
    path = write(tmp_path, text)
    result = run_import(runner, path, "--spkp-scale", "6")
    assert result.exit_code == 0, result.output
    assert "3 jawaban diimpor" in result.output
    # SPAK sums 17 + 20 on four points; SPKP 26 on six (the rows above).
    assert month_rows(session) == {("spak", 4): (2, 37), ("spkp", 6): (1, 26)}
    assert instrument_store.differences(session) == []
    again = run_import(runner, path, "--spkp-scale", "6")
    assert "0 jawaban diimpor ke Puskesmas Kenjeran; 3 sudah ada sebelumnya." in again.output
    assert len(answers(session)) == 3 and month_rows(session)[("spak", 4)] == (2, 37)


def test_a_scale_column_decides_per_row(runner, session, unit, tmp_path):
    text = (IMPORT_HEADER.replace("spak5\n", "spak5,spkp_scale\n")
            + f"{SKM_ROW},6,6,6,6,6,6,6,6,,,,,,6\n{SKM_ROW},4,4,4,4,4,4,4,4,,,,,,\n")
    result = run_import(runner, write(tmp_path, text))
    assert result.exit_code == 0, result.output
    assert month_rows(session) == {("spkp", 6): (1, 48), ("spkp", 4): (1, 32)}


def test_bad_instrument_cells_are_named_by_row_and_nothing_is_stored(runner, session, unit,
                                                                    tmp_path):
    text = IMPORT_HEADER + (
        f"{SKM_ROW},4,4,4,,4,4,4,4,,,,,\n"       # row 2: SPKP half answered
        f"{SKM_ROW},,,,,,,,,4,4,5,4,4\n"         # row 3: 5 on four points
        f"{SKM_ROW},,,,,,,,,4,4,4,4,4\n")        # row 4: good
    result = run_import(runner, write(tmp_path, text))
    assert result.exit_code == 1
    assert ("Baris 2, kolom spkp4: SPKP harus dijawab semua (spkp1 s.d. spkp8) atau "
            "dikosongkan semua; kosong: spkp4") in result.output
    assert "Baris 3, kolom spak3: jawaban SPAK harus angka 1 sampai 4 (tertulis '5')" \
        in result.output
    assert responses(session) == 0 and answers(session) == []


def test_a_file_without_instrument_columns_keeps_the_uuids_of_earlier_imports(
        runner, session, unit, tmp_path):
    skm_only = IMPORT_HEADER.split(",spkp1")[0] + "\n" + SKM_ROW + "\n"
    assert run_import(runner, write(tmp_path, skm_only, "a.csv")).exit_code == 0
    # The same row with its instruments blank is the same respondent.
    blank = IMPORT_HEADER + f"{SKM_ROW},,,,,,,,,,,,,\n"
    again = run_import(runner, write(tmp_path, blank, "b.csv"))
    assert "0 jawaban diimpor ke Puskesmas Kenjeran; 1 sudah ada sebelumnya." in again.output


def test_the_history_mapping_guesses_spkp_and_spak_from_their_statements(
        runner, session, unit, tmp_path):
    header = [*GOOGLE_HEADER, *(f"SPKP [{item.text_id}]" for item in SPKP_INSTRUMENT.items),
              *(item.text_id for item in SPAK_INSTRUMENT.items)]
    fields = mapping.guess(tuple(header), {})
    assert fields[-13:] == [*(f"spkp{n}" for n in range(1, 9)),
                            *(f"spak{n}" for n in range(1, 6))]
    # The SKM's columns are guessed as before: U1 from "persyaratan" in question 1.
    assert fields[1] == "u1"
    rows = [[*GOOGLE_ROWS[0], *"44444444", *"43442"], [*GOOGLE_ROWS[1], *[""] * 13]]
    with open(tmp_path / "zi.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    result = run_import(runner, tmp_path / "zi.csv", "--mapping", "guess")
    assert result.exit_code == 0, result.output
    assert month_rows(session) == {("spkp", 4): (1, 32), ("spak", 4): (1, 17)}
    assert instrument_store.differences(session) == []


# --- Exchange packages: reading the SPKP/SPAK rows (their application: test_exchange.py) ----

def _payload(instruments) -> dict:
    statistics = {name: 0 for name in ROLLUP_STATISTICS} | {"n": 1}
    month = {"month": "2025-03", "all": statistics}
    if instruments is not None:
        month["instruments"] = instruments
    return {"format_version": 1, "source": {"id": "a", "name": "A"}, "sequence": 1,
            "from": "2025-01", "to": "2025-12",
            "units": [{"id": 7, "slug": "unit-a", "name": "Unit A", "region_code": "35.78",
                       "agency": [{"name": "Dinas", "kind": "dinas"}], "months": [month]}]}


SPAK_ROW = {"instrument": "spak", "scale_max": 4, "n": 1, "s1": 4, "s2": 3, "s3": 4, "s4": 4,
            "s5": 2, "s6": 0, "s7": 0, "s8": 0, "t": 17, "t2": 289}


def test_a_package_reads_instrument_rows_and_an_older_one_without_them():
    (unit,) = reading.read(_payload([SPAK_ROW])).units
    assert unit.instruments == {date(2025, 3, 1): {("spak", 4): {
        name: SPAK_ROW[name] for name in instrument_store.STATISTICS}}}
    (older,) = reading.read(_payload(None)).units
    assert older.instruments == {date(2025, 3, 1): {}}


@pytest.mark.parametrize("bad", [
    [{**SPAK_ROW, "instrument": "ikm"}], [{**SPAK_ROW, "scale_max": 5}],
    [{**SPAK_ROW, "t": -1}], [{**SPAK_ROW, "s3": "4"}], [SPAK_ROW, SPAK_ROW], "spak", [None],
    [{key: value for key, value in SPAK_ROW.items() if key != "t2"}]])
def test_a_bad_instrument_row_refuses_the_package(bad):
    with pytest.raises(ExchangeRefused, match="instrumen unit-a 2025-03"):
        reading.read(_payload(bad))
