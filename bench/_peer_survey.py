"""django-survey-and-report as a peer of SUARA's citizen form, for bench/slow_network.py.

A minimal Django project around the package (its quick start: the `survey` app with Django's
auth, contenttypes, sessions and messages; SQLite), in a virtualenv of its own kept under
~/.cache/suara-bench-peer (made on first use with pip, never the project's venv), and one
survey of nine required radio questions of four choices each: the SKM's nine elements, with
SUARA's own question texts and answer labels.
"""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

CACHE = Path(os.environ.get("SUARA_BENCH_PEER", Path.home() / ".cache" / "suara-bench-peer"))
PACKAGE = "django-survey-and-report"
WANTED = "1.5.0"

SETTINGS = '''\
import os
from pathlib import Path

import survey

SECRET_KEY = "bench-peer-not-for-production"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes",
                  "django.contrib.sessions", "django.contrib.messages",
                  "django.contrib.staticfiles", "survey"]
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware",
              "django.contrib.sessions.middleware.SessionMiddleware",
              "django.middleware.common.CommonMiddleware",
              "django.middleware.csrf.CsrfViewMiddleware",
              "django.contrib.auth.middleware.AuthenticationMiddleware",
              "django.contrib.messages.middleware.MessageMiddleware"]
ROOT_URLCONF = "peer_urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.contrib.auth.context_processors.auth",
        "django.template.context_processors.i18n",
        "django.template.context_processors.static",
        "django.contrib.messages.context_processors.messages"]},
}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3",
                         "NAME": os.environ["PEER_DATABASE"]}}
LANGUAGE_CODE = "id"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Jakarta"
STATIC_URL = "/static/"
STATIC_FILES = Path(survey.__file__).parent / "static"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
LOGIN_URL = "/login/"
CHOICES_SEPARATOR = "|"
USER_DID_NOT_ANSWER = "Left blank"
EXCEL_COMPATIBLE_CSV = False
DEFAULT_SURVEY_PUBLISHING_DURATION = 7
SURVEY_DEFAULT_PIE_COLOR = "red!50"
if os.environ.get("PEER_GZIP"):  # as a deployment might add; the quick start does not
    MIDDLEWARE.insert(0, "django.middleware.gzip.GZipMiddleware")
'''

# Without a web server in front, Django serves the package's CSS and JS itself (as SUARA's
# Flask does its CSS): django.views.static.serve, which works with DEBUG off when routed.
URLS = '''\
from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

urlpatterns = [
    path("survey/", include("survey.urls")),
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_FILES}),
]
'''

WSGI = '''\
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
'''

# Run in the peer's venv: migrate, then make the survey; print its id and question names.
SETUP = '''\
import json
import sys

import django

django.setup()
from django.core.management import call_command

from survey.models import Question, Survey

call_command("migrate", verbosity=0)
items = json.load(sys.stdin)
survey = Survey.objects.create(
    name="Survei Kepuasan Masyarakat", description="Sembilan unsur pelayanan.",
    is_published=True, need_logged_user=False, editable_answers=False,
    display_method=Survey.ALL_IN_ONE_PAGE)
names = []
for order, item in enumerate(items, start=1):
    question = Question.objects.create(
        survey=survey, text=item["text"], order=order, required=True, type=Question.RADIO,
        choices="|".join(item["labels"]))
    names.append(f"question_{question.pk}")
print(json.dumps({"survey": survey.pk, "groups": names, "django": django.get_version()}))
'''


def python() -> Path:
    return CACHE / "venv" / "bin" / "python"


def installed_version() -> str | None:
    """Return the version of the package in the cached venv, or None when it is not usable."""
    if not python().exists():
        return None
    probe = subprocess.run(
        [str(python()), "-c", "import gunicorn, importlib.util, importlib.metadata as m; "
         f"assert importlib.util.find_spec('survey'); print(m.version('{PACKAGE}'))"],
        capture_output=True, text=True)
    return probe.stdout.strip() if probe.returncode == 0 else None


def install() -> str:
    """Make the cached venv with the package (WANTED, else the newest) and gunicorn."""
    version = installed_version()
    if version:
        return version
    print(f"Installing {PACKAGE} and gunicorn into {CACHE / 'venv'} …", file=sys.stderr)
    venv.create(CACHE / "venv", with_pip=True, clear=True)
    pip = [str(python()), "-m", "pip", "install", "--quiet", "gunicorn"]
    if subprocess.run(pip + [f"{PACKAGE}=={WANTED}"], capture_output=True).returncode != 0:
        done = subprocess.run(pip + [PACKAGE], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"pip could not install {PACKAGE}: {done.stderr[-800:]}")
    version = installed_version()
    if not version:
        raise RuntimeError(f"{PACKAGE} installed but does not import")
    return version


def project(folder: Path, database: Path, gzip: bool = False) -> dict:
    """Write the Django project into folder; return the environment its processes need.

    gzip adds Django's GZipMiddleware (pages and the static files it serves, compressed).
    """
    for name, text in (("peer_settings.py", SETTINGS), ("peer_urls.py", URLS),
                       ("peer_wsgi.py", WSGI)):
        (folder / name).write_text(text)
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(Path.home()),
            "DJANGO_SETTINGS_MODULE": "peer_settings", "PYTHONPATH": str(folder),
            "PEER_DATABASE": str(database), **({"PEER_GZIP": "1"} if gzip else {})}


def make_survey(folder: Path, env: dict, items: list[dict]) -> dict:
    """Migrate the peer's database and make the survey; return its id, groups, Django version.

    items: the nine questions in order, each {"text": …, "labels": [four answer labels]}.
    """
    done = subprocess.run([str(python()), "-c", SETUP], cwd=folder, env=env,
                          input=json.dumps(items), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the peer's setup failed: {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def server_command(port: int) -> list[str]:
    """Return the command that serves the peer with gunicorn, as SUARA is served."""
    return [str(CACHE / "venv" / "bin" / "gunicorn"), "--workers", "2", "--threads", "4",
            "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--log-level",
            "warning", "peer_wsgi:application"]
