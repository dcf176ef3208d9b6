"""Importing a unit's answer history from the tools it used before SUARA: a Google Forms CSV,
a KoboToolbox XLSX, or the official pengolahan data sheet. Each file's columns are mapped onto
SUARA's (guessed, confirmed by a person, saved per unit and header), then stored by
survey/response_import.py: all or nothing, bad rows named, safe to repeat."""
