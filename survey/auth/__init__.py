"""Staff accounts: sign in and out, passwords, API tokens."""

from survey.auth.views import blueprint

__all__ = ["blueprint"]
