"""Browser fixtures: the app served for real on a loopback port, driven by headless Chromium.

The served app uses its own scratch database (committed data, like production), loaded with the
regions and the demo data; tests read it back through `live.session()`.
"""

import os
import shutil
import threading
from pathlib import Path
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from survey import create_app, migrate, renderer
from survey.db import make_engine
from survey.demo import load_demo
from survey.regions import bundled_csv, load_regions
from tests.conftest import scratch_database

CHROMIUM = os.environ.get("SUARA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@dataclass
class LiveServer:
    url: str
    app: object

    @contextmanager
    def session(self):
        """Yield a session on the served app's database (reads what the app committed)."""
        with Session(self.app.extensions["suara.db"].engine) as session:
            yield session


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """Serve the app on a free loopback port for the whole test session."""
    with scratch_database(tmp_path_factory.mktemp("live")) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        with Session(engine) as session:
            load_regions(session, bundled_csv())
            load_demo(session)
            session.commit()
        engine.dispose()
        # Documents are drawn by a renderer process of the session's own instance folder, as
        # under gunicorn (survey/renderer.py); removing its socket at the end sends it away.
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-test-secret",
                          "CACHE_DIR": str(tmp_path_factory.mktemp("charts")),
                          "SUARA_RENDERER": "process"})
        app.instance_path = str(tmp_path_factory.mktemp("instance"))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        app.config["SUARA_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield LiveServer(app.config["SUARA_BASE_URL"], app)
        finally:
            server.shutdown()
            thread.join()
            app.extensions["suara.db"].engine.dispose()
            renderer.socket_path(Path(app.instance_path)).unlink(missing_ok=True)


@pytest.fixture(scope="session")
def browser():
    """Launch Debian's Chromium headless once per test session."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """Return a page on a 360-px phone viewport with JavaScript enabled, in Indonesian."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(browser):
    """Return a page on a 360-px phone viewport with JavaScript disabled."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID",
                                  java_script_enabled=False)
    yield context.new_page()
    context.close()
