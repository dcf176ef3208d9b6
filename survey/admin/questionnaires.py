"""A unit's own questionnaire versions: copy, reword, extend, publish. Flush only, audited.

Answers are stored by element code, never by position, so a unit may reword and reorder the
nine regulation items (U1..U9, each exactly once) and add items of its own, coded X1, X2, …
(their answers go to Response.extra). A published version is never edited: changing it means
a new draft copied from it. Past responses keep the questionnaire_id they were given.
"""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.elements import ELEMENT_CODES
from survey import audit
from survey.models import Item, Questionnaire, ServiceUnit
from survey.responses import unit_questionnaire

EXTRA_CODE = re.compile(r"^X(\d+)$")
# Positions are unique per questionnaire: a reorder first parks items beyond any real position.
PARKING = 1000


@dataclass(frozen=True)
class ItemText:
    """The words of one item: question and four answer labels (1 = worst) in both languages."""

    text_id: str
    text_en: str
    labels_id: tuple[str, ...]
    labels_en: tuple[str, ...]


def draft_of(session: Session, unit_id: int) -> Questionnaire | None:
    """Return a unit's draft (a unit has at most one), if any."""
    return session.scalars(
        select(Questionnaire)
        .where(Questionnaire.unit_id == unit_id, Questionnaire.status == "draft")
        .order_by(Questionnaire.id.desc()).limit(1)).first()


def usable_source(session: Session, unit_id: int, questionnaire_id: int) -> Questionnaire | None:
    """Return a questionnaire a unit may see and copy: a shared one or one of its own."""
    questionnaire = session.get(Questionnaire, questionnaire_id)
    if questionnaire is None or questionnaire.unit_id not in (None, unit_id):
        return None
    return questionnaire


def _next_version(session: Session, unit_id: int) -> int:
    versions = session.scalars(select(Questionnaire.version)
                               .where(Questionnaire.unit_id == unit_id))
    return max(versions, default=0) + 1


def copy_to_draft(session: Session, unit: ServiceUnit, source: Questionnaire) -> Questionnaire:
    """Copy a questionnaire into the unit's new draft (next version) and audit it."""
    draft = Questionnaire(unit_id=unit.id, version=_next_version(session, unit.id),
                          title_id=source.title_id, title_en=source.title_en, status="draft")
    draft.items = [Item(element_code=item.element_code, position=item.position,
                        text_id=item.text_id, text_en=item.text_en,
                        labels_id=list(item.labels_id), labels_en=list(item.labels_en))
                   for item in source.items]
    session.add(draft)
    session.flush()
    audit.record(session, "questionnaire_copied", f"questionnaire:{draft.id}", unit_id=unit.id,
                 detail={"from": source.id, "from_version": source.version,
                         "shared": source.unit_id is None, "version": draft.version})
    return draft


def _must_be_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.status != "draft":
        raise ValueError(f"questionnaire {questionnaire.id} is published: copy it to edit")


def _item_changes(item: Item, text: ItemText) -> dict:
    """Set an item's words; return what changed as {field: [old, new]}."""
    changes = {}
    for field in ("text_id", "text_en", "labels_id", "labels_en"):
        old, new = getattr(item, field), getattr(text, field)
        new = list(new) if isinstance(new, tuple) else new
        if old != new:
            changes[field] = [old, new]
            setattr(item, field, new)
    return changes


def save_draft(session: Session, draft: Questionnaire, titles: tuple[str, str],
               texts: dict[str, ItemText], order: list[str]) -> dict:
    """Reword and reorder a draft's items (by code); audit and return what changed."""
    _must_be_draft(draft)
    changes: dict = {}
    for field, new in zip(("title_id", "title_en"), titles):
        if getattr(draft, field) != new:
            changes[field] = [getattr(draft, field), new]
            setattr(draft, field, new)
    items = {item.element_code: item for item in draft.items}
    for code, text in texts.items():
        item_changes = _item_changes(items[code], text)
        if item_changes:
            changes[code] = item_changes
    old_order = [item.element_code for item in sorted(draft.items, key=lambda i: i.position)]
    if order != old_order:
        changes["order"] = [old_order, order]
        _reorder(session, [items[code] for code in order])
    session.flush()
    if changes:
        audit.record(session, "questionnaire_edited", f"questionnaire:{draft.id}",
                     unit_id=draft.unit_id, detail=changes)
    return changes


def _reorder(session: Session, items: list[Item]) -> None:
    """Give items the positions 1..n in the order given, never two on one position at once."""
    for number, item in enumerate(items, start=1):
        item.position = PARKING + number
    session.flush()
    for number, item in enumerate(items, start=1):
        item.position = number


def next_extra_code(session: Session, unit_id: int) -> str:
    """Return the next own-item code of a unit (X1, X2, …), never reusing one of any version.

    A code keeps one meaning for the unit: answers stored under X3 in an old version are never
    mixed with a different question that reused the code.
    """
    codes = session.scalars(select(Item.element_code).join(Item.questionnaire)
                            .where(Questionnaire.unit_id == unit_id))
    numbers = [int(match[1]) for code in codes if (match := EXTRA_CODE.match(code))]
    return f"X{max(numbers, default=0) + 1}"


def add_item(session: Session, draft: Questionnaire, text: ItemText) -> Item:
    """Append an item of the unit's own to a draft, and audit it."""
    _must_be_draft(draft)
    item = Item(element_code=next_extra_code(session, draft.unit_id),
                position=max((i.position for i in draft.items), default=0) + 1,
                text_id=text.text_id, text_en=text.text_en,
                labels_id=list(text.labels_id), labels_en=list(text.labels_en))
    draft.items.append(item)
    session.flush()
    audit.record(session, "questionnaire_item_added", f"questionnaire:{draft.id}",
                 unit_id=draft.unit_id, detail={"code": item.element_code,
                                                "text_id": item.text_id})
    return item


def remove_item(session: Session, draft: Questionnaire, code: str) -> bool:
    """Remove one of the unit's own items from a draft; the nine regulation items stay."""
    _must_be_draft(draft)
    item = next((i for i in draft.items if i.element_code == code), None)
    if item is None or code in ELEMENT_CODES:
        return False
    draft.items.remove(item)
    session.delete(item)
    session.flush()
    audit.record(session, "questionnaire_item_removed", f"questionnaire:{draft.id}",
                 unit_id=draft.unit_id, detail={"code": code, "text_id": item.text_id})
    return True


def publish_problems(questionnaire: Questionnaire) -> list[str]:
    """Return why a questionnaire may not be published (in Indonesian); empty if it may."""
    codes = [item.element_code for item in questionnaire.items]
    problems = [f"Unsur {code} harus ada tepat satu kali (sekarang {codes.count(code)})."
                for code in ELEMENT_CODES if codes.count(code) != 1]
    problems += [f"Kode butir {code} tidak dikenal: gunakan U1–U9 atau X1, X2, …"
                 for code in codes if code not in ELEMENT_CODES and not EXTRA_CODE.match(code)]
    for item in questionnaire.items:
        if not item.text_id.strip() or len(item.labels_id) != 4 or len(item.labels_en) != 4 \
                or not all(label.strip() for label in item.labels_id):
            problems.append(f"Butir {item.element_code}: isi pertanyaan dan keempat jawabannya.")
    return problems


def publish(session: Session, draft: Questionnaire, now: datetime) -> list[str]:
    """Publish a draft (the unit's form uses it from now on); return problems instead if any."""
    _must_be_draft(draft)
    problems = publish_problems(draft)
    if problems:
        return problems
    draft.status, draft.published_at = "published", now
    session.flush()
    audit.record(session, "questionnaire_published", f"questionnaire:{draft.id}",
                 unit_id=draft.unit_id,
                 detail={"version": draft.version, "status": ["draft", "published"],
                         "items": [item.element_code for item in draft.items]})
    return []


def discard(session: Session, draft: Questionnaire) -> None:
    """Delete a draft: no response ever used it, since only published versions are served."""
    _must_be_draft(draft)
    audit.record(session, "questionnaire_discarded", f"questionnaire:{draft.id}",
                 unit_id=draft.unit_id, detail={"version": draft.version})
    for item in list(draft.items):
        session.delete(item)
    session.flush()
    session.delete(draft)
    session.flush()
