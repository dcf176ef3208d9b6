"""Open data: each closed semester's published unit figures as CSV and JSON, and a DCAT-US
1.1 (Project Open Data) catalogue at /data.json that data portals (CKAN) harvest."""

from survey.opendata.views import blueprint

__all__ = ["blueprint"]
