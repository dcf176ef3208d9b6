"""Work pages of a unit's staff: typing in paper questionnaires, reviewing flagged answers."""

from survey.staff.views import blueprint

__all__ = ["blueprint"]
