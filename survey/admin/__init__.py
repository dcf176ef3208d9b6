"""Administration: units and service points, QR posters, questionnaires, periods and
populations, accounts and roles, the audit log."""

from survey.admin.views import blueprint

__all__ = ["blueprint"]
