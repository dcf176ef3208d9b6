"""Views: a unit's population per period (for sample adequacy) and its named custom periods."""

from flask import flash, redirect, render_template, url_for

from survey import access, db
from survey.admin import forms, listings, pages, populations, rules


def _periods_page(unit, population_form=None, period_form=None, status: int = 200):
    """Render a unit's periods page, with a form sent back with problems in place of a blank one."""
    session = db.session()
    return render_template(
        "admin/periods.html", unit=unit,
        populations=listings.populations(session, unit.id),
        periods=listings.custom_periods(session, unit.id),
        population_form=population_form or forms.PopulationForm(session, unit.id, formdata=None),
        period_form=period_form or forms.PeriodForm(formdata=None)), status


@access.within(rules.unit_scope)
def periods(slug: str):
    """Show a unit's recorded populations and custom periods, with forms to add or change them."""
    return _periods_page(pages.unit_or_404(slug))


@access.within(rules.unit_scope)
def save_population(slug: str):
    """Record how many services a unit delivered in a period."""
    session, unit = db.session(), pages.unit_or_404(slug)
    form = forms.PopulationForm(session, unit.id)
    if not form.validate_on_submit():
        return _periods_page(unit, population_form=form, status=422)
    if populations.set_population(session, unit, form.period.label, form.population.data):
        session.commit()
        flash(f"Populasi {form.period.name} dicatat: {form.population.data} layanan.")
    return redirect(url_for("admin.periods", slug=slug), 303)


@access.within(rules.unit_scope)
def save_period(slug: str):
    """Define a named custom period of the unit, or change the one with the same label."""
    session, unit = db.session(), pages.unit_or_404(slug)
    form = forms.PeriodForm()
    if not form.validate_on_submit():
        return _periods_page(unit, period_form=form, status=422)
    action = populations.save_period(session, unit, form.label.data, form.name.data,
                                     form.starts_on.data, form.ends_on.data)
    if action:
        session.commit()
        flash(f"Periode {form.label.data} {'dibuat' if action == 'period_created' else 'diubah'}.")
    return redirect(url_for("admin.periods", slug=slug), 303)
