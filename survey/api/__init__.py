"""The read-only JSON API (v1): published index figures, open to everyone."""

from survey.api.views import blueprint

__all__ = ["blueprint"]
