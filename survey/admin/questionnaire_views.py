"""Views: the shared questionnaire, a unit's versions, and its one draft (edit, extend, publish)."""

from flask import abort, flash, redirect, render_template, request, url_for

from survey import access, db, params
from survey.admin import forms, listings, pages, questionnaires, rules
from survey.models import utcnow
from survey.responses import default_questionnaire


@access.within(rules.own_scope)
def shared_questionnaire():
    """Show the questionnaire shared by every unit (read-only)."""
    return render_template("admin/questionnaire_shared.html",
                           questionnaire=default_questionnaire(db.session()))


@access.within(rules.unit_scope)
def questionnaires_list(slug: str):
    """Show the questionnaire a unit's form uses, its versions, and one version asked for."""
    session, unit = db.session(), pages.unit_or_404(slug)
    current = questionnaires.unit_questionnaire(session, unit.id)
    asked = params.arg("versi", params.record_id, "versi") if "versi" in request.args else None
    shown = (questionnaires.usable_source(session, unit.id, asked) or abort(404)) if asked \
        else current
    return render_template(
        "admin/questionnaires.html", unit=unit, current=current, shown=shown,
        versions=listings.unit_questionnaires(session, unit.id),
        shared=default_questionnaire(session),
        answers=listings.responses_per_questionnaire(session, unit.id))


@access.within(rules.unit_scope)
def copy_questionnaire(slug: str):
    """Copy a version (the shared one or the unit's) into the unit's new draft."""
    session, unit = db.session(), pages.unit_or_404(slug)
    form = forms.CopyForm()
    source = form.validate_on_submit() and questionnaires.usable_source(
        session, unit.id, form.source.data) or abort(404)
    draft = questionnaires.draft_of(session, unit.id)
    if draft is None:
        draft = questionnaires.copy_to_draft(session, unit, source)
        session.commit()
        flash(f"Draf versi {draft.version} dibuat dari versi {source.version}"
              f"{' bersama' if source.unit_id is None else ''}.")
    else:
        flash(f"Unit ini sudah punya draf versi {draft.version}: terbitkan atau buang dulu.")
    return redirect(url_for("admin.draft", slug=slug), 303)


def _draft_or_404(unit):
    return questionnaires.draft_of(db.session(), unit.id) or abort(404)


def _draft_page(unit, draft, form=None, item_form=None, status: int = 200):
    """Render the draft page, with a form sent back with problems in place of a blank one."""
    if draft is not None:
        form = form or forms.DraftForm(formdata=None, data=forms.draft_data(draft))
        item_form = item_form or forms.NewItemForm(formdata=None)
    return render_template(
        "admin/draft.html", unit=unit, draft=draft, form=form, item_form=item_form,
        problems=questionnaires.publish_problems(draft) if draft else []), status


@access.within(rules.unit_scope)
def draft(slug: str):
    """Show the unit's draft for editing, or how to start one."""
    unit = pages.unit_or_404(slug)
    return _draft_page(unit, questionnaires.draft_of(db.session(), unit.id))


@access.within(rules.unit_scope)
def save_draft(slug: str):
    """Save the words and order of the draft's items."""
    session, unit = db.session(), pages.unit_or_404(slug)
    draft = _draft_or_404(unit)
    form = forms.DraftForm(codes=[item.element_code for item in draft.items])
    if not form.validate_on_submit():
        return _draft_page(unit, draft, form=form, status=422)
    changes = questionnaires.save_draft(session, draft, form.titles(), form.texts(), form.order())
    session.commit()
    flash("Draf disimpan." if changes else "Tidak ada perubahan.")
    return redirect(url_for("admin.draft", slug=slug), 303)


@access.within(rules.unit_scope)
def add_item(slug: str):
    """Add an item of the unit's own (coded X1, X2, …) to the draft."""
    session, unit = db.session(), pages.unit_or_404(slug)
    draft = _draft_or_404(unit)
    form = forms.NewItemForm()
    if not form.validate_on_submit():
        return _draft_page(unit, draft, item_form=form, status=422)
    item = questionnaires.add_item(session, draft, form.item.form.item_text())
    session.commit()
    flash(f"Butir {item.element_code} ditambahkan; jawabannya disimpan terpisah dari U1–U9.")
    return redirect(url_for("admin.draft", slug=slug, _anchor=item.element_code), 303)


@access.within(rules.unit_scope)
def remove_item(slug: str, code: str):
    """Remove one of the unit's own items from the draft (U1..U9 cannot be removed)."""
    session, unit = db.session(), pages.unit_or_404(slug)
    if not questionnaires.remove_item(session, _draft_or_404(unit), code):
        abort(404)
    session.commit()
    flash(f"Butir {code} dihapus dari draf.")
    return redirect(url_for("admin.draft", slug=slug), 303)


@access.within(rules.unit_scope)
def publish(slug: str):
    """Publish the draft: the unit's form uses it from now on; older answers keep their version."""
    session, unit = db.session(), pages.unit_or_404(slug)
    draft = _draft_or_404(unit)
    if questionnaires.publish(session, draft, utcnow()):
        return _draft_page(unit, draft, status=422)
    session.commit()
    flash(f"Versi {draft.version} diterbitkan: formulir unit ini memakainya mulai sekarang. "
          "Jawaban yang sudah masuk tetap tercatat pada versi lamanya.")
    return redirect(url_for("admin.questionnaires_list", slug=slug), 303)


@access.within(rules.unit_scope)
def discard_draft(slug: str):
    """Throw the draft away (no answer ever used a draft)."""
    session, unit = db.session(), pages.unit_or_404(slug)
    draft = _draft_or_404(unit)
    questionnaires.discard(session, draft)
    session.commit()
    flash(f"Draf versi {draft.version} dibuang.")
    return redirect(url_for("admin.questionnaires_list", slug=slug), 303)
