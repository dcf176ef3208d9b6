"""Settings from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from survey.samples import setting_from_environment as samples_setting


def _secret_key(instance: Path) -> str:
    """Return SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def base_url(instance: Path) -> str:
    """Return the public address: SUARA_BASE_URL, else the one `make run` serves at and wrote
    to instance/base_url (so that a command run from another terminal prints the same), else
    http://127.0.0.1:8000."""
    given = os.environ.get("SUARA_BASE_URL")
    if not given and (instance / "base_url").is_file():
        given = (instance / "base_url").read_text().strip()
    return (given or "http://127.0.0.1:8000").rstrip("/")


def smtp_settings() -> dict:
    """Return the optional mail server for replies to citizens; without a host, none is sent."""
    return {
        "SUARA_SMTP_HOST": os.environ.get("SUARA_SMTP_HOST", ""),
        "SUARA_SMTP_PORT": int(os.environ.get("SUARA_SMTP_PORT", "587")),
        "SUARA_SMTP_USER": os.environ.get("SUARA_SMTP_USER", ""),
        "SUARA_SMTP_PASSWORD": os.environ.get("SUARA_SMTP_PASSWORD", ""),
        # STARTTLS unless told otherwise ("0" for a relay on the same host).
        "SUARA_SMTP_TLS": os.environ.get("SUARA_SMTP_TLS", "1") != "0",
        "SUARA_SMTP_FROM": os.environ.get("SUARA_SMTP_FROM", "suara@localhost"),
    }


def messaging_settings() -> dict:
    """Return how invitations go out by message and how SMS answers come in (README.md)."""
    env = os.environ.get
    return {
        # "log": every message is written to the message log, none is sent (demos).
        "SUARA_MESSAGE_GATEWAY": env("SUARA_MESSAGE_GATEWAY", ""),
        "SUARA_TWILIO_ACCOUNT_SID": env("SUARA_TWILIO_ACCOUNT_SID", ""),
        "SUARA_TWILIO_AUTH_TOKEN": env("SUARA_TWILIO_AUTH_TOKEN", ""),
        "SUARA_TWILIO_SMS_FROM": env("SUARA_TWILIO_SMS_FROM", ""),
        "SUARA_TWILIO_WHATSAPP_FROM": env("SUARA_TWILIO_WHATSAPP_FROM", ""),
        "SUARA_TWILIO_WHATSAPP_TEMPLATE": env("SUARA_TWILIO_WHATSAPP_TEMPLATE", ""),
        "SUARA_TWILIO_WHATSAPP_REMINDER_TEMPLATE": env("SUARA_TWILIO_WHATSAPP_REMINDER_TEMPLATE",
                                                       ""),
        "SUARA_TWILIO_API_URL": env("SUARA_TWILIO_API_URL", ""),
        # One reminder this many hours after an unanswered invitation; 0: none.
        "SUARA_REMINDER_HOURS": int(env("SUARA_REMINDER_HOURS", "48")),
        # The shared secret of the incoming-SMS webhook; unset: the webhook refuses every call.
        "SUARA_SMS_SECRET": env("SUARA_SMS_SECRET", ""),
    }


def exchange_settings(instance: Path) -> dict:
    """Return this server's identity and key for exchanging figures with other servers."""
    env = os.environ.get
    return {
        "SUARA_EXCHANGE_KEY": env("SUARA_EXCHANGE_KEY", str(instance / "exchange_key.pem")),
        # A stable id and a name for people; empty: the key's id and the public address.
        "SUARA_EXCHANGE_SERVER_ID": env("SUARA_EXCHANGE_SERVER_ID", ""),
        "SUARA_EXCHANGE_SERVER_NAME": env("SUARA_EXCHANGE_SERVER_NAME", ""),
        # Tokens (comma-separated) with which other servers fetch packages; empty: none may.
        "SUARA_EXCHANGE_TOKENS": [t for t in env("SUARA_EXCHANGE_TOKENS", "").split(",")
                                  if t.strip()],
    }


def renderer_settings(given: dict) -> dict:
    """Return where documents are drawn: "process", by one renderer process that every worker
    shares (survey/renderer.py), or "inline", in the worker itself (the default of tests)."""
    mode = (given.get("SUARA_RENDERER") or os.environ.get("SUARA_RENDERER")
            or ("inline" if given.get("TESTING") else "process"))
    if mode not in ("process", "inline"):
        raise ValueError(f"SUARA_RENDERER is 'process' or 'inline', not {mode!r}")
    # The renderer leaves after this many seconds without a document (and starts again).
    idle = float(given.get("SUARA_RENDERER_IDLE") or os.environ.get("SUARA_RENDERER_IDLE", 600))
    return {"SUARA_RENDERER": mode, "SUARA_RENDERER_IDLE": max(1.0, idle)}


def settings(instance: Path, given: dict) -> dict:
    """Return the settings: those given win, the rest come from the environment."""
    result = {
        "SUARA_BASE_URL": base_url(instance),
        "SUARA_PROXIES": int(os.environ.get("SUARA_PROXIES", "0")),
        # A proxy in front compresses responses (nginx's gzip): then SUARA never does.
        "SUARA_PROXY_COMPRESSES": os.environ.get("SUARA_PROXY_COMPRESSES", "0").lower()
        in ("1", "true", "yes"),
        # Scans of paper sheets (survey/staff/scans.py); empty: instance/scans.
        "SUARA_SCAN_DIR": os.environ.get("SUARA_SCAN_DIR", ""),
        # A PostgreSQL streaming replica for the reads of GET pages (survey/read_replica.py);
        # a browser that wrote reads the primary for this many seconds after.
        "SUARA_READ_DATABASE_URL": os.environ.get("SUARA_READ_DATABASE_URL", ""),
        "SUARA_READ_AFTER_WRITE_SECONDS": int(os.environ.get("SUARA_READ_AFTER_WRITE_SECONDS",
                                                             "10")),
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Staff sessions end after 8 idle hours; a form's CSRF token lives as long.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # A citizen's contact is deleted when the case closes, or after this many days.
        "SUARA_CONTACT_DAYS": int(os.environ.get("SUARA_CONTACT_DAYS", "90")),
        # Fewer respondents than this: a figure is provisional, without a grade (survey/samples.py).
        "SUARA_MIN_RESPONDENTS": samples_setting(),
        # The open data catalogue's (/data.json) publisher and contact; empty: defaults
        # (survey/opendata/catalogue.py).
        "SUARA_DATA_PUBLISHER": os.environ.get("SUARA_DATA_PUBLISHER", ""),
        "SUARA_DATA_CONTACT_EMAIL": os.environ.get("SUARA_DATA_CONTACT_EMAIL", ""),
        **smtp_settings(),
        **messaging_settings(),
        **renderer_settings(given),
        **exchange_settings(instance),
        **given,
    }
    # Cookies only over TLS when the public address is https.
    result.setdefault("SESSION_COOKIE_SECURE", result["SUARA_BASE_URL"].startswith("https://"))
    if "DATABASE_URL" not in result:
        if not os.environ.get("DATABASE_URL"):
            instance.mkdir(parents=True, exist_ok=True)
        result["DATABASE_URL"] = (os.environ.get("DATABASE_URL")
                                  or f"sqlite:///{instance / 'suara.db'}")
    if "SECRET_KEY" not in result:
        result["SECRET_KEY"] = _secret_key(instance)
    return result
