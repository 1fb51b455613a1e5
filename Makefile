# Two commands for a newcomer: `make run` and `make test`. Everything else is here for operators.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ART_VENV := questions/artifacts/.venv
TOOLS_VENV := .venv-tools
HOST ?= 127.0.0.1
PORT ?= 8000


.PHONY: run test lint check-bank check-artifacts migrate loadbank worker beat requirements \
        compose-check clean help screenshots vendor-check audit audit-refresh sbom bench profile-quiz backup restore

help:
	@echo "make run    - set up and serve the site at http://$(HOST):$(PORT) (embedded default)"
	@echo "make test   - lint, check the bank and run the whole test suite"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-pip.txt

# Stamps: reinstall only when the pinned requirements change.
$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

$(ART_VENV)/.deps: questions/artifacts/requirements.txt requirements-pip.txt
	$(PYTHON) -m venv $(ART_VENV)
	$(ART_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements-pip.txt
	$(ART_VENV)/bin/pip install --quiet --require-hashes -r questions/artifacts/requirements.txt
	touch $@

# Build and supply-chain tools (pip-tools, the CycloneDX SBOM tool), pinned and hashed, in a
# venv of their own so their dependencies never meet the app's.
$(TOOLS_VENV)/.deps: requirements-tools.txt requirements-pip.txt
	$(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install --quiet --require-hashes -r requirements-pip.txt
	$(TOOLS_VENV)/bin/pip install --quiet --require-hashes -r requirements-tools.txt
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

test: $(VENV)/.dev-deps check-artifacts vendor-check audit sbom
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py checkbank --strict
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py formatbank --check
	$(BIN)/pytest $(PYTEST_ARGS)

# The screenshot tour: a seeded demo in Chromium, PNGs of the main pages at 1280x800 and 390x844
# in screenshots/ (tests/browser/screenshots.py; not part of `make test`).
screenshots: $(VENV)/.dev-deps
	$(BIN)/pytest tests/browser/screenshots.py -q -s -p no:cacheprovider

# Full stack on a laptop with Redis running: `make worker` and `make beat` next to `make run`.
worker: $(VENV)/.run-deps
	DB_POOL=false $(BIN)/celery -A config worker -l info

beat: $(VENV)/.run-deps
	DB_POOL=false $(BIN)/celery -A config beat -l info

# Backups (README "Backups"): `make backup` while serving; `make restore BACKUP=file` with the
# web processes and the worker stopped. BACKUP= names the file for either.
backup: $(VENV)/.run-deps
	$(BIN)/python manage.py backup $(BACKUP)

restore: $(VENV)/.run-deps
	@test -n "$(BACKUP)" || (echo "usage: make restore BACKUP=backups/arena-....sqlite3|.dump" && exit 2)
	$(BIN)/python manage.py restore $(BACKUP)

# Recompile the pinned, hashed requirements after editing a requirements*.in file.
COMPILE := $(TOOLS_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
           --no-emit-index-url --no-emit-find-links
requirements: $(TOOLS_VENV)/.deps
	$(COMPILE) -o requirements.txt requirements.in
	$(COMPILE) -o requirements-dev.txt requirements-dev.in
	$(COMPILE) -o requirements-tools.txt requirements-tools.in
	$(COMPILE) -o requirements-pip.txt requirements-pip.in
	cd questions/artifacts && ../../$(COMPILE) -o requirements.txt requirements.in

# Vendored front-end files against the SHA-256 in static/vendor/manifest.json.
vendor-check: $(VENV)/.dev-deps
	$(BIN)/python tools/supply_chain.py vendor-check

# Every pinned package against the vendored advisory snapshot (offline; security/).
audit: $(VENV)/.dev-deps
	$(BIN)/python tools/supply_chain.py audit

# Rebuild the snapshot from a checkout of the PyPA advisory database (git clone
# https://github.com/pypa/advisory-database): make audit-refresh ADVISORY_DB=path DATE=YYYY-MM-DD
audit-refresh: $(VENV)/.dev-deps
	$(BIN)/python tools/supply_chain.py audit-refresh $(ADVISORY_DB) $(DATE)

# The platform's own SBOM (CycloneDX JSON) from the runtime lockfile, plus the vendored assets.
sbom: $(TOOLS_VENV)/.deps $(VENV)/.dev-deps
	mkdir -p build
	$(TOOLS_VENV)/bin/cyclonedx-py requirements --output-reproducible --of JSON \
	  -o build/sbom.cdx.json requirements.txt
	$(BIN)/python tools/supply_chain.py sbom-add-vendor build/sbom.cdx.json

# Capacity figures, each beside a floor measured in the same run (bench/). Uses DATABASE_URL and
# REDIS_URL like the app: unset, the embedded default.
bench: $(VENV)/.dev-deps $(TOOLS_VENV)/.deps
	PATH="$(CURDIR)/$(TOOLS_VENV)/bin:$$PATH" $(BIN)/python bench/run_all.py

# Where a quiz answer's server time goes: py-spy samples the first web process while the quiz
# bench runs (collapsed stacks in build/quiz-profile.txt; bench/profile_summary.py sums them).
profile-quiz: $(VENV)/.dev-deps $(TOOLS_VENV)/.deps
	mkdir -p build
	PATH="$(CURDIR)/$(TOOLS_VENV)/bin:$$PATH" $(BIN)/python bench/quiz_throughput.py \
		--learners 16 --seconds 20 --profile build/quiz-profile.txt
	$(BIN)/python bench/profile_summary.py build/quiz-profile.txt

compose-check:
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-validation-only} docker-compose config -q

clean:
	rm -rf $(VENV) $(ART_VENV) $(TOOLS_VENV) build staticfiles db.sqlite3
