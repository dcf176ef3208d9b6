"""Pages for citizens: the home page and the survey form."""

from survey.public.views import blueprint

__all__ = ["blueprint"]
