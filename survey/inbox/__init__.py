"""Closing the loop with citizens: the inbox of suggestions and complaints of a unit (tags,
status, replies, public answers, contacts kept apart) and its follow-up plans (rencana tindak
lanjut) with the change each action's element shows in the next period.

Blueprints: `inbox` (survey/inbox/views.py) and `followup` (survey/inbox/followup_views.py).
"""
