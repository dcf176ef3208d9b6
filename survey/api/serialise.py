"""Plain JSON shapes of the figures (numbers rounded only here, at the edge)."""

from analysis.bounded import METHOD as INTERVAL_METHOD
from analysis.invitation_rates import ResponseRates
from survey import samples
from survey.figures import ElementFigure, Figures, Ranked, TrendFigures
from survey.indices import UnitIndex
from survey.integrity import Integrity
from survey.periods import Period


def _round(value, places: int = 4):
    return None if value is None else round(float(value), places)


def interval(ci) -> dict | None:
    """Return a confidence interval as JSON, with the method that made it."""
    if ci is None:
        return None
    return {"level": ci.level, "low": _round(ci.low), "high": _round(ci.high),
            "margin": _round(ci.margin), "method": INTERVAL_METHOD}


def period(p: Period) -> dict:
    """Return a period as JSON."""
    return {"label": p.label, "name": p.name, "starts_on": p.starts_on.isoformat(),
            "ends_on": p.ends_on.isoformat()}


def element(e: ElementFigure) -> dict:
    """Return one element's figures as JSON."""
    return {"code": e.code, "name": e.name, "name_en": e.name_en, "respondents": e.n,
            "nrr": _round(e.nrr), "nrr_weighted": _round(e.nrr_weighted),
            "konversi": float(e.konversi), "grade": e.grade,
            "ci": None if e.ci_low is None else {"low": _round(e.ci_low), "high": _round(e.ci_high)},
            "answers": dict(zip(("1", "2", "3", "4"), e.value_counts))}


def ranked(f: Figures | Ranked) -> dict:
    """Return a group's index as JSON, without its elements."""
    return {
        "key": f.key, "name": f.name, "respondents": f.respondents, "units": f.units,
        "method": f.method, "convention": f.convention,
        "ikm": _round(f.ikm), "ikm_konversi": None if f.konversi is None else float(f.konversi),
        "grade": f.grade.letter if f.grade else None,
        "label": f.grade.label_id if f.grade else None,
        "label_en": f.grade.label_en if f.grade else None,
        "ci": interval(f.ci),
        "provisional": f.provisional,
        "min_respondents": _minimum(f),
        "interval_method": INTERVAL_METHOD,
    }


def _minimum(f: Figures | Ranked) -> int:
    """Return the minimum sample behind a figure (a ranking row takes the setting)."""
    return f.min_respondents if isinstance(f, Figures) else samples.min_respondents()


def figures(f: Figures) -> dict:
    """Return a group's figures as JSON, with its elements."""
    return {**ranked(f), "elements": [element(e) for e in f.elements]}


def unit_index(index: UnitIndex, basis: Integrity | None = None,
               source: str | None = None) -> dict:
    """Return a unit's index for a period as JSON, with the basis of its figure if given;
    `source` names the server a received unit's figures come from."""
    unit = index.unit
    adequacy = index.adequacy
    return {
        "unit": {"slug": unit.slug, "name": unit.name, "agency": unit.agency.name,
                 "region_code": unit.region_code, "region": unit.region.name, "source": source},
        "period": period(index.period),
        **figures(index.figures),
        "sample": {
            "population": index.population,
            "required": adequacy.required if adequacy else None,
            "adequate": adequacy.adequate if adequacy else None,
            "margin_of_error": _round(adequacy.margin_of_error) if adequacy else None,
        },
        **({} if basis is None else {"integrity": integrity(basis)}),
    }


def integrity(basis: Integrity) -> dict:
    """Return the basis of a unit's figure as JSON: counts only."""
    return {
        "stored": basis.stored, "counted": basis.counted, "channels": dict(basis.channels or ()),
        "staff": basis.staff, "staff_share": _round(basis.staff_share),
        "kiosk_answers": basis.kiosk_answers, "kiosks": basis.kiosks,
        "flagged": basis.flagged, "flagged_waiting": basis.flagged_waiting,
        "excluded": basis.excluded,
        "excluded_by_reason": {reason or "none": n for reason, n in basis.excluded_by_reason},
        "open_proposals": basis.open_proposals,
    }


NO_INVITATIONS = "belum ada undangan"


def rates(r: ResponseRates) -> dict:
    """Return invitations issued, opened and answered as JSON; no rate when none was issued."""
    ci = r.answer_interval
    return {"issued": r.issued, "opened": r.opened, "answered": r.answered,
            "open_rate": _round(r.open_rate), "answer_rate": _round(r.answer_rate),
            "answer_rate_ci": None if ci is None else {
                "level": ci.level, "low": _round(ci.low), "high": _round(ci.high),
                "method": "wilson"},
            "note": None if r.has_rate else NO_INVITATIONS}


def invited(f: Figures | Ranked | None) -> dict:
    """Return the index of invited answers as JSON, with its n (0 and nulls without any)."""
    if f is None or not f.has_data:
        return {"respondents": 0, "ikm": None, "ikm_konversi": None, "grade": None,
                "provisional": False, "min_respondents": samples.min_respondents(), "ci": None}
    return {"respondents": f.respondents, "ikm": _round(f.ikm),
            "ikm_konversi": float(f.konversi), "grade": f.grade.letter if f.grade else None,
            "provisional": f.provisional, "min_respondents": _minimum(f),
            "ci": interval(f.ci)}


def trend(result: TrendFigures) -> dict:
    """Return a trend as JSON: the index per period, each change and the overall slope."""
    t = result.trend
    return {
        "periods": [{
            "period": point.label, "name": point.name,
            "respondents": point.figures.respondents,
            "ikm_konversi": None if point.figures.konversi is None else float(point.figures.konversi),
            "grade": point.figures.grade.letter if point.figures.grade else None,
            "provisional": point.figures.provisional,
            "ci": interval(point.figures.ci),
            "change": None if point.change is None else {
                "difference": _round(point.change.difference), "low": _round(point.change.low),
                "high": _round(point.change.high), "p_value": _round(point.change.p_value, 6),
                "significant": point.change.significant, "test": point.change.test},
        } for point in result.points],
        "trend": {"slope_per_period": _round(t.slope), "low": _round(t.low),
                  "high": _round(t.high), "kendall_tau": _round(t.tau),
                  "p_value": _round(t.p_value, 6), "significant": t.significant,
                  "direction": t.direction},
    }


def instrument(figure) -> dict:
    """Return an IPKP or IPAK figure (survey/instrument_figures.py) as JSON."""
    return {
        "code": figure.code, "survey": figure.survey, "name": figure.name,
        "index_name": figure.short, "scale_max": figure.scale_max, "n": figure.n,
        "index": _round(figure.index), "konversi": _round(figure.konversi),
        "on_four_point": _round(figure.on_four),
        "ci_low": _round(figure.low), "ci_high": _round(figure.high),
        "band": None if figure.band is None else {"letter": figure.band.letter,
                                                  "label": figure.band.label_id},
        "provisional": figure.provisional,
        "share_of_skm_respondents": _round(figure.share),
        "items": [{"code": item.code, "text": item.text, "mean": _round(item.mean)}
                  for item in figure.items],
    }


def _change(change) -> dict | None:
    return None if change is None else {
        "difference": _round(change.difference), "low": _round(change.low),
        "high": _round(change.high), "p_value": _round(change.p_value, 6),
        "significant": change.significant, "test": change.test}


def _slope(t) -> dict:
    return {"slope_per_period": _round(t.slope), "low": _round(t.low), "high": _round(t.high),
            "kendall_tau": _round(t.tau), "p_value": _round(t.p_value, 6),
            "significant": t.significant, "direction": t.direction}


def instrument_trend(found) -> dict:
    """Return an IPKP or IPAK trend (survey/instrument_figures.py) as JSON; changes and the
    slope on the index scale."""
    return {"code": found.code, "index_name": found.short, "scale_max": found.scale_max,
            "periods": [{
                "period": point.label, "name": point.name,
                "n": 0 if point.figure is None else point.figure.n,
                "index": None if point.figure is None else _round(point.figure.index),
                "ci_low": None if point.figure is None else _round(point.figure.low),
                "ci_high": None if point.figure is None else _round(point.figure.high),
                "provisional": point.figure is not None and point.figure.provisional,
                "change": _change(point.change),
            } for point in found.points],
            "trend": _slope(found.trend)}


def _verdict(v) -> dict | None:
    """Return one index of a ZI row (survey/zone_figures.py) as JSON."""
    if v is None:
        return None
    return {**instrument(v.figure), "target": _round(v.target), "meets_target": v.meets,
            "lke_points": _round(v.lke_points)}


def zone_row(row) -> dict:
    """Return a unit's Zona Integritas row (survey/zone_figures.py) as JSON."""
    return {"unit": row.slug, "name": row.name, "agency": row.agency,
            "region_code": row.region_code, "region": row.region,
            "zone": None if row.kind is None else {"kind": row.kind,
                                                   "since": row.since.isoformat()},
            "scale_max": row.scale_max, "ipkp": _verdict(row.ipkp), "ipak": _verdict(row.ipak),
            "meets_target": row.meets}
