"""Integrity alerts: SPAK answers that signal gratification, illegal levies or brokers, shown
to the levels above the unit (survey/integrity_alerts/views.py)."""
