# Two commands: `make run` (set up, migrate, load demo data, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export SUARA_BASE_URL ?= http://$(HOST):$(PORT)
# Headless Chromium for the browser tests, pdftotext/pdftoppm for reading reports back.
DEBIAN_TEST_PACKAGES := chromium poppler-utils

.PHONY: run test install serve clean

# The application alone for `make run`; the test tools only for `make test`.
$(BIN)/suara: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable .
	touch $@

$(VENV)/.test-tools: $(BIN)/suara
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[test]'
	.ci/debian-packages $(DEBIAN_TEST_PACKAGES)
	touch $@

install: $(BIN)/suara

run: install
	$(BIN)/suara db upgrade
	$(BIN)/suara regions load
	$(BIN)/suara demo
	@mkdir -p instance && echo "$(SUARA_BASE_URL)" > instance/base_url
	@echo
	@echo "SUARA berjalan di $(SUARA_BASE_URL)/  (Ctrl+C untuk berhenti)"
	@echo "Perintah dari terminal lain memakai instans yang sama dan alamat ini, misalnya:"
	@echo "  $(BIN)/suara posters --unit puskesmas-ketabang --out posters/"
	@# The code's bytecode written once (also where PYTHONDONTWRITEBYTECODE is set), so that no
	@# worker compiles the sources again at every start.
	$(BIN)/python -m compileall -q survey analysis wsgi.py > /dev/null
	$(BIN)/gunicorn --workers 2 --threads 4 --preload --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: $(VENV)/.test-tools
	$(BIN)/pytest

clean:
	rm -rf $(VENV) *.egg-info
