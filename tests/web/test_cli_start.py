"""`suara` itself: its help lists SUARA's commands without building the application, and a
command run from another terminal takes the address `make run` serves at."""

import subprocess
import sys

from survey.config import settings

# Every command and group of survey/cli.py, and nothing of Flask's own (run, shell, routes).
COMMANDS = ("db", "demo", "exchange", "export", "import", "inbox", "invitations", "posters",
            "regions", "report", "rollups", "units")
HELP = """
import sys
from survey.cli import cli
try:
    cli(["--help"], prog_name="suara")
except SystemExit:
    pass
print("loaded:", *sorted(name for name in ("sqlalchemy", "survey.db", "survey.models")
                         if name in sys.modules))
"""


def test_help_lists_each_suara_command_with_a_description_and_loads_no_database_code():
    out = subprocess.run([sys.executable, "-c", HELP], check=True, capture_output=True,
                         text=True).stdout
    listed = out.split("Commands:\n")[1].split("\nloaded:")[0].splitlines()
    names = tuple(line.split()[0] for line in listed)
    assert names == COMMANDS
    assert all(len(line.split()) > 1 for line in listed), listed  # a description each
    assert out.rstrip().endswith("loaded:")  # no SQLAlchemy, hence no app, for --help


def test_a_subgroups_help_also_builds_no_application():
    code = HELP.replace('["--help"]', '["inbox", "--help"]')
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout
    assert "purge" in out and out.rstrip().endswith("loaded:")


def test_the_base_url_comes_from_the_environment_then_the_instance_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SUARA_BASE_URL", raising=False)
    given = {"SECRET_KEY": "x", "DATABASE_URL": "sqlite://"}
    assert settings(tmp_path, given)["SUARA_BASE_URL"] == "http://127.0.0.1:8000"
    (tmp_path / "base_url").write_text("http://192.0.2.10:8080/\n")  # as `make run` writes it
    assert settings(tmp_path, given)["SUARA_BASE_URL"] == "http://192.0.2.10:8080"
    monkeypatch.setenv("SUARA_BASE_URL", "https://skm.example.go.id")
    assert settings(tmp_path, given)["SUARA_BASE_URL"] == "https://skm.example.go.id"
