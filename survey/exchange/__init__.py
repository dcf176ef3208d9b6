"""Exchange of figures between SUARA servers: signed packages of the month rollups of units
(sufficient statistics, no raw answers, no personal data), exported by one server and
imported by another that trusts its key (README.md, "Pertukaran angka antarserver")."""
