# Two commands: `make run` (set up, migrate, load demo data, serve) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export SUARA_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test install serve clean

$(BIN)/suara: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --editable '.[test]'
	touch $@

install: $(BIN)/suara

run: install
	$(BIN)/suara db upgrade
	$(BIN)/suara regions load
	$(BIN)/suara demo
	@echo
	@echo "SUARA berjalan di $(SUARA_BASE_URL)/  (Ctrl+C untuk berhenti)"
	$(BIN)/gunicorn --workers 2 --threads 4 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: install
	$(BIN)/pytest

clean:
	rm -rf $(VENV) *.egg-info
