"""Reading a signed package's payload into checked values, each problem named in Indonesian:
a package from a trusted server is still read defensively (no stored value can break a page)."""

from dataclasses import dataclass
from datetime import date

from survey import params
from survey.exchange.package import FORMAT_VERSION, KINDS, read_month
from survey.exchange.signing import ExchangeRefused
from survey.instrument_store import STATISTICS as INSTRUMENT_STATISTICS
from survey.models import INSTRUMENT_CODES, INSTRUMENT_SCALES
from survey.periods import LABEL_MAX, UnknownPeriod, parse
from survey.queries import ROLLUP_STATISTICS

STATUSES = ("active", "closed", "archived")
STATISTIC_MAX = 2 ** 62
POPULATION_MAX = 10 ** 9


@dataclass(frozen=True)
class RemoteUnit:
    remote_id: int
    slug: str
    name: str
    agency: tuple[tuple[str, str], ...]  # (name, kind) from the root down
    region_code: str
    status: str
    months: dict[date, dict[str, dict[str, int]]]  # month -> kind -> statistics
    populations: dict[str, int]  # period label -> services delivered (none: not carried)
    # month -> (instrument, scale_max) -> statistics of rollup_instrument (SPKP, SPAK)
    instruments: dict[date, dict[tuple[str, int], dict[str, int]]]


@dataclass(frozen=True)
class Contents:
    server_id: str
    server_name: str
    sequence: int
    first: date
    last: date
    units: tuple[RemoteUnit, ...]


def _text(value, what: str, longest: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > longest:
        raise ExchangeRefused(f"paket tidak lengkap: {what} kosong atau terlalu panjang")
    return value.strip()


def _statistics(value, where: str) -> dict[str, int]:
    if not isinstance(value, dict) or any(
            type(value.get(name)) is not int or not 0 <= value[name] < STATISTIC_MAX
            for name in ROLLUP_STATISTICS):
        raise ExchangeRefused(f"paket rusak: statistik {where} tidak lengkap atau bukan "
                              "bilangan bulat tak negatif")
    return {name: value[name] for name in ROLLUP_STATISTICS}


def _instruments(value, where: str) -> dict[tuple[str, int], dict[str, int]]:
    """Return {(instrument, scale_max): statistics} of a month's SPKP/SPAK rows (absent in
    packages of servers without them)."""
    if not isinstance(value, list):
        raise ExchangeRefused(f"paket rusak: instrumen {where} bukan daftar")
    found = {}
    for row in value:
        key = ((row.get("instrument"), row.get("scale_max")) if isinstance(row, dict)
               else (None, None))
        if key[0] not in INSTRUMENT_CODES or key[1] not in INSTRUMENT_SCALES or key in found \
                or type(key[1]) is not int or any(
                    type(row.get(name)) is not int or not 0 <= row[name] < STATISTIC_MAX
                    for name in INSTRUMENT_STATISTICS):
            raise ExchangeRefused(f"paket rusak: instrumen {where} tidak dikenal, tercantum dua "
                                  "kali, atau statistiknya bukan bilangan bulat tak negatif")
        found[key] = {name: row[name] for name in INSTRUMENT_STATISTICS}
    return found


def _period_label(value, slug: str) -> str:
    """Return the label of a standard period or date range as survey.periods writes it."""
    try:
        if isinstance(value, str) and len(value) <= LABEL_MAX:
            return parse(value).label
    except UnknownPeriod:
        pass
    raise ExchangeRefused(f"paket rusak: periode populasi unit {slug} tidak dikenal: "
                          f"'{params.shown(str(value))}'")


def _populations(value, slug: str) -> dict[str, int]:
    """Return {period label: population} of a unit's list (absent in older packages)."""
    if not isinstance(value, list):
        raise ExchangeRefused(f"paket rusak: populasi unit {slug} bukan daftar")
    found = {}
    for item in value:
        if not isinstance(item, dict):
            raise ExchangeRefused(f"paket rusak: populasi unit {slug} tidak lengkap")
        label, number = _period_label(item.get("period"), slug), item.get("population")
        # At least 1: the table keeps no empty population (no row means none recorded).
        if type(number) is not int or not 1 <= number <= POPULATION_MAX or label in found:
            raise ExchangeRefused(f"paket rusak: populasi unit {slug} periode {label} bukan "
                                  f"bilangan bulat 1..{POPULATION_MAX} atau tercantum dua kali")
        found[label] = number
    return found


def _unit(value, first: date, last: date) -> RemoteUnit:
    if not isinstance(value, dict) or type(value.get("id")) is not int:
        raise ExchangeRefused("paket rusak: unit tanpa id")
    slug = _text(value.get("slug"), "slug unit", 80)
    if not params.is_slug(slug):
        raise ExchangeRefused(f"paket rusak: slug unit '{params.shown(slug)}' tidak sah")
    chain = value.get("agency")
    if not isinstance(chain, list) or not chain or not all(isinstance(a, dict) for a in chain):
        raise ExchangeRefused(f"paket rusak: instansi unit {slug} tidak ada")
    months, instruments = {}, {}
    for month in value.get("months") or []:
        day = read_month(month.get("month") if isinstance(month, dict) else None)
        if not first <= day <= last:
            raise ExchangeRefused(f"paket rusak: bulan {month['month']} di luar rentang paket")
        if "all" not in month:
            raise ExchangeRefused(f"paket rusak: bulan {month['month']} unit {slug} tanpa angka")
        months[day] = {kind: _statistics(month[kind], f"{slug} {month['month']}")
                       for kind in KINDS if kind in month}
        instruments[day] = _instruments(month.get("instruments", []),
                                        f"{slug} {month['month']}")
    return RemoteUnit(value["id"], slug, _text(value.get("name"), "nama unit", 200),
                      tuple((_text(a.get("name"), "nama instansi", 200),
                             _text(a.get("kind", "instansi"), "jenis instansi", 20))
                            for a in chain),
                      _text(value.get("region_code"), "kode wilayah", 13),
                      value.get("status") if value.get("status") in STATUSES else "active",
                      months, _populations(value.get("populations", []), slug), instruments)


def read(payload) -> Contents:
    """Return the checked contents of a payload; raise ExchangeRefused naming a problem."""
    if not isinstance(payload, dict) or payload.get("format_version") != FORMAT_VERSION:
        raise ExchangeRefused(f"format paket tidak dikenal (yang dikenal: versi {FORMAT_VERSION})")
    source = payload.get("source") if isinstance(payload.get("source"), dict) else {}
    if type(payload.get("sequence")) is not int or not isinstance(payload.get("units"), list):
        raise ExchangeRefused("paket rusak: urutan atau daftar unit tidak ada")
    first, last = read_month(payload.get("from")), read_month(payload.get("to"))
    return Contents(_text(source.get("id"), "id server sumber", 80),
                    _text(source.get("name"), "nama server sumber", 80),
                    payload["sequence"], first, last,
                    tuple(_unit(unit, first, last) for unit in payload["units"]))
