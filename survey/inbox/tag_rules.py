"""The keyword rules that suggest a suggestion's tags: stored, edited by administrators, audited."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis.tagging import Rule
from survey import audit
from survey.models import TagRule


def rules(session: Session) -> list[Rule]:
    """Return every stored rule, ready for analysis.tagging.suggest."""
    return [Rule(code, keyword) for code, keyword in session.execute(
        select(TagRule.element_code, TagRule.keyword).order_by(TagRule.element_code, TagRule.keyword))]


def stored(session: Session) -> list[TagRule]:
    """Return the stored rules by element and keyword, for the page that edits them."""
    return list(session.scalars(select(TagRule).order_by(TagRule.element_code, TagRule.keyword)))


def add(session: Session, rule: Rule) -> TagRule | None:
    """Store a new rule and audit it; None when the element already has that keyword."""
    exists = session.scalar(select(TagRule.id).where(
        TagRule.element_code == rule.code, TagRule.keyword == rule.keyword))
    if exists is not None:
        return None
    row = TagRule(element_code=rule.code, keyword=rule.keyword)
    session.add(row)
    session.flush()
    audit.record(session, "tag_rule_added", f"tag_rule:{row.id}",
                 detail={"element": rule.code, "keyword": rule.keyword})
    return row


def remove(session: Session, rule_id: int) -> TagRule | None:
    """Delete a rule and audit it; None when there is no such rule."""
    row = session.get(TagRule, rule_id)
    if row is None:
        return None
    session.delete(row)
    audit.record(session, "tag_rule_removed", f"tag_rule:{rule_id}",
                 detail={"element": row.element_code, "keyword": row.keyword})
    return row
