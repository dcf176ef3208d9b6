"""Database errors, told apart in one place: a passing load, or a fault that will not clear.

Busy (pool exhausted, SQLite locked, a lost connection): nothing was stored, the same request
succeeds shortly, so the answer is 503 with Retry-After and "send it again". A read-only or
full database will not clear by itself: the person reads that nothing was saved and that the
service has a fault, and the log carries an ERROR that names the cause for the operators.
"""

from flask import Flask, g, jsonify, make_response, render_template, request
from sqlalchemy.exc import InternalError, OperationalError, TimeoutError as PoolTimeout

# PostgreSQL SQLSTATE codes (Appendix A of its manual) and SQLite's result codes.
CAUSES_BY_SQLSTATE = {"25006": "read-only database", "53100": "disk full"}
CAUSES_BY_SQLITE = {"SQLITE_READONLY": "read-only database", "SQLITE_FULL": "disk full"}
FAULT_RETRY_AFTER = 300  # a kiosk that queued the answer tries again, not every 30 s


def lasting_cause(error: Exception) -> str | None:
    """Return the fault a database error shows that will not clear by itself, or None."""
    driver = getattr(error, "orig", None)
    state = getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None)
    if state in CAUSES_BY_SQLSTATE:
        return CAUSES_BY_SQLSTATE[state]
    name = getattr(driver, "sqlite_errorname", "") or ""  # Python 3.11+
    for code, cause in CAUSES_BY_SQLITE.items():
        # Extended codes name the case: SQLITE_READONLY_DBMOVED, SQLITE_READONLY_DIRECTORY...
        if name == code or name.startswith(code + "_"):
            return cause
    return None


def fault_page(cause: str):
    """Answer a request that met a lasting fault: citizens and staff each in their own words."""
    if request.path.startswith("/api/"):
        response = jsonify(error={"status": 503, "message": "Service Unavailable",
                                  "cause": cause})
    else:
        audience = "citizen" if request.blueprint == "public" else "staff"
        response = make_response(render_template("errors/fault.html", audience=audience))
    response.status_code = 503
    response.headers["Retry-After"] = str(FAULT_RETRY_AFTER)
    return response


def init_app(app: Flask, busy_page) -> None:
    """Answer database errors by their kind; `busy_page(error)` renders a passing one."""
    def database_error(error):
        cause = lasting_cause(error)
        if cause:
            if g.get("db_session") is not None:
                g.db_session.rollback()  # the page reads (the signed-in user) after the failure
            app.logger.error("database fault, nothing was written (%s) on %s %s: %s",
                             cause, request.method, request.path, getattr(error, "orig", error))
            return fault_page(cause)
        if isinstance(error, InternalError):
            raise error  # a fault of ours: the 500 page, with its traceback in the log
        # The database is busy (pool exhausted, SQLite locked): nothing was stored, say so and
        # ask for the same answers again shortly, rather than a 500 that looks like a loss.
        app.logger.warning("database overloaded: %s", error)
        error.code, error.retry_after = 503, 30
        return busy_page(error)

    for kind in (PoolTimeout, OperationalError, InternalError):
        app.register_error_handler(kind, database_error)
