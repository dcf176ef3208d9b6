"""Tests of the pure analysis package: no app, no database."""
