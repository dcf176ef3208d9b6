"""Kiosks: tablets enrolled at a service point, known by the keyed hash of a key they hold."""
