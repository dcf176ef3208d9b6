"""Invitations: single-use codes on slips and tickets, personal links by message, the
answers they bring and the response rates they make possible."""

from flask import Blueprint

blueprint = Blueprint("invitations", __name__)
