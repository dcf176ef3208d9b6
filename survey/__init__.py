"""SUARA: the Survei Kepuasan Masyarakat web application."""

from pathlib import Path

from flask import Flask, jsonify, make_response, render_template, request

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Create the application: settings, extensions, blueprints, error pages, commands."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder=str(ROOT / "static"), instance_path=str(ROOT / "instance"))
    register_config(app, config)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    return app


def register_config(app: Flask, config: dict | None) -> None:
    from survey.config import settings

    app.config.update(settings(Path(app.instance_path), config or {}))


def register_extensions(app: Flask) -> None:
    from survey import (compression, db, formatting, i18n, memo, params, security,
                        static_versions)
    from survey.auth import current

    params.init_app(app)  # before any route is added: the routes' `int` converter
    compression.init_app(app)  # before the other hooks: its own runs last, on the final body
    db.init_app(app)
    memo.init_app(app)
    security.init_app(app)
    current.init_app(app)
    formatting.init_app(app)
    i18n.init_app(app)
    static_versions.init_app(app)


def register_blueprints(app: Flask) -> None:
    from survey.admin import blueprint as admin
    from survey.api import blueprint as api
    from survey.auth import blueprint as auth
    from survey.history_import.views import blueprint as history
    from survey.inbox.followup_views import blueprint as followup
    from survey.inbox.views import blueprint as inbox
    from survey.integrity_alerts.views import blueprint as integrity_alerts
    from survey.invitations.routes import blueprint as invitations
    from survey.opendata import blueprint as opendata
    from survey.public import blueprint as public
    from survey.reports import blueprint as reports
    from survey.reports.downloads import downloads, results
    from survey.security import csrf
    from survey.staff import blueprint as staff
    from survey.staff.review_views import blueprint as review

    # The citizen form carries its own signed token (survey/public/csrf.py) that survives a
    # phone's sleep and lost cookies; the API is read-only.
    csrf.exempt(public)
    csrf.exempt(api)
    for blueprint in (public, api, auth, reports, downloads, results, staff, review, admin,
                      inbox, followup, invitations, opendata, history, integrity_alerts):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from survey.params import ParameterError

    def render_error(error):
        code = getattr(error, "code", 500) or 500
        detail = error.description if isinstance(error, ParameterError) else None
        if request.path.startswith("/api/"):
            message = detail or getattr(error, "name", "Error")
            return jsonify(error={"status": code, "message": message}), code
        response = make_response(render_template("errors/error.html", code=code, detail=detail),
                                 code)
        if getattr(error, "retry_after", None):
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    for code in (400, 401, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(code, render_error)

    from survey import faults

    faults.init_app(app, busy_page=render_error)  # busy, read-only or full: told apart there
