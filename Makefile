# Two commands for a newcomer: `make run` and `make test`. Everything else is here for operators.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ART_VENV := questions/artifacts/.venv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint check-bank check-artifacts migrate loadbank worker beat requirements \
        compose-check clean help

help:
	@echo "make run    - set up and serve the site at http://$(HOST):$(PORT) (embedded default)"
	@echo "make test   - lint, check the bank and run the whole test suite"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

# Stamps: reinstall only when the pinned requirements change.
$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

$(ART_VENV)/.deps: questions/artifacts/requirements.txt
	$(PYTHON) -m venv $(ART_VENV)
	$(ART_VENV)/bin/pip install --quiet --require-hashes -r questions/artifacts/requirements.txt
	touch $@

migrate: $(VENV)/.run-deps
	$(BIN)/python manage.py migrate --noinput

loadbank: migrate
	$(BIN)/python manage.py loadbank

run: loadbank
	@echo "Serving at http://$(HOST):$(PORT) (SQLite, in-process channel layer; Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

check-bank: $(VENV)/.dev-deps
	$(BIN)/python manage.py checkbank

check-artifacts: $(ART_VENV)/.deps
	$(ART_VENV)/bin/python questions/artifacts/check.py

test: $(VENV)/.dev-deps check-artifacts
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py checkbank
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py formatbank --check
	$(BIN)/pytest $(PYTEST_ARGS)

# Full stack on a laptop with Redis running: `make worker` and `make beat` next to `make run`.
worker: $(VENV)/.run-deps
	DB_POOL=false $(BIN)/celery -A config worker -l info

beat: $(VENV)/.run-deps
	DB_POOL=false $(BIN)/celery -A config beat -l info

# Recompile the pinned, hashed requirements after editing a requirements*.in file.
requirements: $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras -o requirements-dev.txt requirements-dev.in

compose-check:
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-validation-only} docker-compose config -q

clean:
	rm -rf $(VENV) $(ART_VENV) staticfiles db.sqlite3
