"""Documents drawn by the renderer process: one per instance, started on demand, shared by
threads, gone when idle or replaced, errors brought back to the worker (survey/renderer.py)."""

import os
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from flask import Flask

from survey import renderer
from survey.formatting import number
from survey.render_server import BUILDERS

POSTER = ("Puskesmas Renderer", "Loket 1", "Dinas Kesehatan", "tok-render-1",
          "https://suara.example.go.id")


def _text(pdf: bytes) -> str:
    """Return the text of a PDF as poppler's pdftotext reads it."""
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def _renderers(path: Path) -> list[int]:
    """Return the ids of the processes serving a socket path (by their command line), not the
    children they fork for each document (one may still be ending when this looks)."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"survey.render_server" in command and os.fsencode(path) in command:
            found[int(entry.name)] = parent
    return sorted(pid for pid, parent in found.items() if parent not in found)


def _gone(path: Path, seconds: float = 10.0) -> bool:
    """Return whether the renderer of a socket path left within some seconds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _renderers(path):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def process_app(tmp_path):
    """Return an app context whose documents go to a renderer of its own instance folder; the
    renderer is told to leave afterwards (its socket file removed)."""
    app = Flask("renderer-test", instance_path=str(tmp_path / "instance"))
    app.config.update(SUARA_RENDERER="process", SUARA_RENDERER_IDLE=60.0)
    with app.app_context():
        yield app
    path = renderer.socket_path(Path(app.instance_path))
    path.unlink(missing_ok=True)
    assert _gone(path)


def test_a_poster_is_drawn_by_a_renderer_process_of_the_instance(process_app):
    pdf = renderer.render("poster_pdf", *POSTER)
    assert pdf.startswith(b"%PDF")
    assert "Puskesmas Renderer" in _text(pdf) and "tok-render-1" in _text(pdf)
    path = renderer.socket_path(Path(process_app.instance_path))
    serving = _renderers(path)
    assert len(serving) == 1 and serving[0] != os.getpid()
    assert path.parent == Path(process_app.instance_path)
    assert path.stat().st_mode & 0o077 == 0  # the owner's alone


def test_threads_asking_at_once_share_one_renderer(process_app):
    def draw(n: int) -> bytes:
        with process_app.app_context():
            return renderer.render("poster_pdf", f"Unit {n}", *POSTER[1:])

    with ThreadPoolExecutor(6) as pool:
        pdfs = list(pool.map(draw, range(12)))
    assert [f"Unit {n}" in _text(pdf) for n, pdf in enumerate(pdfs)] == [True] * 12
    assert len(_renderers(renderer.socket_path(Path(process_app.instance_path)))) == 1


def test_an_error_while_drawing_comes_back_to_the_worker(process_app):
    # An empty token has no survey address (survey/qr_codes.py raises ValueError).
    with pytest.raises(renderer.RenderFailed, match="ValueError: service point token"):
        renderer.render("poster_pdf", "Unit", "Loket", "Dinas", "", "https://suara.test")
    with pytest.raises(renderer.RenderFailed, match="KeyError: 'os.system'"):
        renderer.render("os.system", "true")
    assert renderer.render("poster_pdf", *POSTER).startswith(b"%PDF")  # still serving


def test_a_renderer_that_died_is_replaced(process_app):
    path = renderer.socket_path(Path(process_app.instance_path))
    path.parent.mkdir(parents=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # a socket file nobody listens on, as a killed renderer leaves it
    stale.close()
    assert renderer.render("poster_pdf", *POSTER).startswith(b"%PDF")
    first = _renderers(path)
    os.kill(first[0], 9)
    assert _gone(path)
    assert renderer.render("poster_pdf", *POSTER).startswith(b"%PDF")
    assert _renderers(path) not in ([], first)


def test_an_idle_renderer_leaves_and_removes_its_socket(process_app):
    process_app.config["SUARA_RENDERER_IDLE"] = 1.0
    renderer.render("poster_pdf", *POSTER)
    path = renderer.socket_path(Path(process_app.instance_path))
    assert _gone(path) and not path.exists()
    assert renderer.render("poster_pdf", *POSTER).startswith(b"%PDF")  # started again


def test_a_socket_path_too_long_goes_to_a_private_folder(tmp_path):
    instance = tmp_path / ("panjang-" * 12)
    path = renderer.socket_path(instance)
    assert len(os.fsencode(path)) <= renderer.SOCKET_PATH_MAX
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.parent.stat().st_uid == os.getuid()
    assert renderer.socket_path(tmp_path / ("lain-" * 20)) != path  # one per instance


def test_inline_draws_in_the_worker_and_every_builder_is_importable(tmp_path):
    app = Flask("renderer-inline", instance_path=str(tmp_path))
    app.config.update(SUARA_RENDERER="inline", SUARA_RENDERER_IDLE=60.0)
    with app.app_context():
        assert renderer.render("poster_pdf", *POSTER).startswith(b"%PDF")
    assert not list(tmp_path.iterdir())  # no renderer, no socket, no log
    from survey.render_server import builder
    assert all(callable(builder(name)) for name in BUILDERS)


@pytest.mark.parametrize("value", ["thread", "1", "PROCESS"])
def test_an_unknown_renderer_setting_is_refused_at_start(value):
    from survey.config import renderer_settings

    with pytest.raises(ValueError, match="SUARA_RENDERER"):
        renderer_settings({"SUARA_RENDERER": value})


def test_tests_draw_inline_and_servers_in_a_process_by_default(monkeypatch):
    from survey.config import renderer_settings

    monkeypatch.delenv("SUARA_RENDERER", raising=False)
    assert renderer_settings({"TESTING": True})["SUARA_RENDERER"] == "inline"
    assert renderer_settings({})["SUARA_RENDERER"] == "process"


def test_a_renderer_that_cannot_start_leaves_the_worker_to_draw(process_app, monkeypatch,
                                                                  caplog):
    monkeypatch.setattr(renderer, "STARTING", 0.5)
    monkeypatch.setattr(renderer.sys, "executable", "/bin/false")  # starts, never listens
    assert renderer.render("poster_pdf", *POSTER).startswith(b"%PDF")
    assert "the renderer is not available" in caplog.text


def test_report_downloads_are_drawn_by_the_renderer(app, admin, dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(app, "instance_path", str(tmp_path / "instance"))
    monkeypatch.setitem(app.config, "SUARA_RENDERER", "process")
    api = admin.get("/api/v1/units/unit-sby/ikm?period=2025-S2").get_json()
    unit = admin.get("/dasbor/unit/unit-sby/laporan.pdf?period=2025-S2")
    scope = admin.get("/dasbor/laporan.pdf?scope=region:35&period=2025")
    docx = admin.get("/dasbor/unit/unit-sby/laporan.docx?period=2025-S2")
    path = renderer.socket_path(tmp_path / "instance")
    try:
        assert len(_renderers(path)) == 1
        assert [unit.status_code, scope.status_code, docx.status_code] == [200, 200, 200]
        assert "Unit unit-sby" in _text(unit.data) and "Jawa Timur" in _text(scope.data)
        assert f"IKM {number(api['ikm_konversi'])}" in " ".join(_text(unit.data).split())
        assert docx.data.startswith(b"PK")  # a DOCX is a ZIP package
    finally:
        path.unlink(missing_ok=True)
    assert _gone(path)
