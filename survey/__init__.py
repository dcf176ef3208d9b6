"""SUARA: the Survei Kepuasan Masyarakat web application."""

from pathlib import Path

from flask import Flask, jsonify, render_template, request

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
    from survey import db, formatting, i18n

    db.init_app(app)
    formatting.init_app(app)
    i18n.init_app(app)


def register_blueprints(app: Flask) -> None:
    from survey.api import blueprint as api
    from survey.public import blueprint as public
    from survey.reports import blueprint as reports

    app.register_blueprint(public)
    app.register_blueprint(api)
    app.register_blueprint(reports)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        code = getattr(error, "code", 500) or 500
        if request.path.startswith("/api/"):
            return jsonify(error={"status": code, "message": getattr(error, "name", "Error")}), code
        return render_template("errors/error.html", code=code), code

    for code in (400, 403, 404, 405, 413, 429, 500, 503):
        app.register_error_handler(code, render_error)
