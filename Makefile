# CONECT — every command a developer needs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help setup run demo test lint fmt messages messages-check worker beat bench bench-import check audit clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.stamp-python: requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(VENV)/bin/pip install --quiet --disable-pip-version-check uv
	$(UV) pip install --quiet --python $(PY) --require-hashes -r requirements-dev.txt
	touch $@

node_modules/.stamp-npm: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.stamp-python node_modules/.stamp-npm ## Create the virtual environment and install the locked Python and front-end dependencies

demo: setup ## Migrate the SQLite database and load the reference and demo data
	$(MANAGE) migrate --no-input -v 0
	@if command -v msgfmt >/dev/null 2>&1; then $(MANAGE) compilemessages -v 0 --ignore=.venv --ignore=node_modules; \
	else echo "gettext is not installed: using the compiled catalogues shipped in locale/"; fi
	$(MANAGE) seed_demo --country 3000

run: demo ## Set everything up and serve the site at http://127.0.0.1:8000 (SQLite, demo data, periodic jobs in-process)
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} $(MANAGE) runserver_with_jobs $(HOST):$(PORT)

test: setup ## Run the whole test suite (PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set)
	$(MANAGE) compilemessages -v 0 --ignore=.venv --ignore=node_modules
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: setup ## Check style and formatting
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: setup ## Format the code and fix what ruff can
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: setup ## Update the translation catalogues (locale/ro, locale/en) and compile them
	$(MANAGE) makemessages -l ro -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=bench
	$(MANAGE) makemessages -d djangojs -l ro -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=static/vendor
	$(MANAGE) compilemessages -v 0 --ignore=.venv --ignore=node_modules

messages-check: messages ## Fail when a catalogue is out of date or a Romanian string is missing
	git diff --exit-code -I 'POT-Creation-Date' -- locale
	$(PY) -m conect.core.i18n_check

worker: setup ## Run a Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A conect worker --loglevel=INFO

beat: setup ## Run Celery beat, the scheduler of periodic tasks (needs REDIS_URL)
	$(VENV)/bin/celery -A conect beat --loglevel=INFO

bench: setup ## Measure the pages over HTTP on PostgreSQL (DATABASE_URL; SCALE=100k, 1m or all)
	$(PY) bench/run.py --scale $(or $(SCALE),100k)

bench-import: setup ## Import a 126,000-row Ministry XLSX twice on PostgreSQL (DATABASE_URL)
	$(PY) bench/import_xlsx.py

check: setup ## Django's system checks, with production settings and example secrets
	set -a && . ./.env.example && set +a && DJANGO_SETTINGS_MODULE=conect.settings.production $(MANAGE) check --deploy --fail-level WARNING

audit: ## Look for known vulnerabilities in the locked Python and front-end dependencies (needs network access)
	PYTHON=$(PY) UV=$(UV) sh deploy/audit.sh

clean: ## Remove the virtual environment, front-end libraries and the SQLite database
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles
