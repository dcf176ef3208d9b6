"""Dashboards and report downloads."""

from survey.reports.views import blueprint

__all__ = ["blueprint"]
