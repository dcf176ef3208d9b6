"""A unit's populations per period and its named custom periods: flush only, audited."""

from datetime import date

from sqlalchemy.orm import Session

from survey import audit
from survey.admin.listings import unit_period
from survey.models import Period, ServiceUnit, UnitPopulation


def set_population(session: Session, unit: ServiceUnit, label: str, population: int) -> bool:
    """Record the services a unit delivered in a period (replacing a recorded number)."""
    row = session.get(UnitPopulation, (unit.id, label))
    old = row.population if row else None
    if old == population:
        return False
    if row is None:
        session.add(UnitPopulation(unit_id=unit.id, period_label=label, population=population))
    else:
        row.population = population
    session.flush()
    audit.record(session, "population_set", f"population:{label}", unit_id=unit.id,
                 detail={"period": label, "population": [old, population]})
    return True


def save_period(session: Session, unit: ServiceUnit, label: str, name: str, starts_on: date,
                ends_on: date) -> str | None:
    """Define a unit's custom period, or change the one with that label; return the action."""
    period = unit_period(session, unit.id, label)
    new = {"name": name, "starts_on": starts_on, "ends_on": ends_on}
    if period is None:
        session.add(Period(unit_id=unit.id, label=label, **new))
        action, detail = "period_created", {"label": label, **_text(new)}
    else:
        old = {field: getattr(period, field) for field in new}
        detail = {field: [_text(old)[field], _text(new)[field]]
                  for field in new if old[field] != new[field]}
        if not detail:
            return None
        for field, value in new.items():
            setattr(period, field, value)
        action = "period_changed"
    session.flush()
    audit.record(session, action, f"period:{label}", unit_id=unit.id, detail=detail)
    return action


def _text(values: dict) -> dict:
    """Return values fit for the audit's JSON: dates as ISO text."""
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in values.items()}
