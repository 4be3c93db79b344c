# kiemdiem — make run: set up and serve the demo; make test: set up and run the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Debian packages: venv for Python, Pango/HarfBuzz for WeasyPrint's PDF, Liberation fonts
# (Times New Roman metrics), poppler-utils to read PDFs back in tests, gettext for translations,
# chromium for the real-browser tests (Playwright drives Debian's build; never `playwright install`).
# LibreOffice Writer (headless) for the tests that open every generated Word file.
APT_PACKAGES := python3-venv python3-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	fonts-liberation2 poppler-utils gettext chromium libreoffice-writer-nogui
PYTEST_ARGS ?=

.PHONY: run test lint bench loadtest system-deps venv deps dev-deps migrate messages demo serve front-door clean

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# The development settings `make run` and `make test` need, written once (never overwritten:
# a deployment's own .env stays as it is). Without them the settings fail safe (debug off, no key).
.env:
	@printf '# Written by make for development; production sets its own environment.\nDJANGO_DEBUG=True\nDJANGO_SECRET_KEY=dev-%s\n' \
	  "$$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" > $@
	@echo "Wrote .env for development (debug on, a random secret key)."

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.deps

# axe-core for the accessibility audit of the real-browser tests (npm registry; never served to
# users). npm comes with Debian's package when the machine has none.
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --silent

venv: $(BIN)/python
deps: system-deps $(VENV)/.deps .env
dev-deps: system-deps $(VENV)/.dev-deps .env node_modules/.package-lock.json

messages: deps
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv

migrate: deps
	$(BIN)/python manage.py migrate --noinput -v0

demo: migrate
	$(BIN)/python manage.py load_demo

# The server and, beside it, the worker that builds the exports (`db_worker`, django-tasks'
# database queue); stopping the server (Ctrl-C) stops the worker too.
serve: deps messages
	@trap 'kill 0' EXIT; \
	$(BIN)/python manage.py db_worker --no-startup-delay & \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

run: messages demo serve

# What CI checks of the front door: `make run` on a fresh SQLite database, up to the login page.
front-door: deps
	bash .ci/front-door "sqlite:///$$(mktemp -d)/front-door.sqlite3"

# A screenshot of each failing browser step is kept under artifacts/playwright.
test: dev-deps messages
	$(BIN)/pytest -q -n 2 --create-db --screenshot only-on-failure --output artifacts/playwright \
	  $(PYTEST_ARGS)

# What the main actions cost at a bloc's and a province's size, each beside its floor (BENCH
# lines; docs/benchmarks.md). Needs the PostgreSQL server on 127.0.0.1 (BENCH_DATABASE_URL);
# BENCH_ARGS=--national adds the country's size.
BENCH_ARGS ?=
bench: deps
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

# The deadline day at a province's size (docs/benchmarks.md): gunicorn and PostgreSQL on
# 127.0.0.1 only, locust's clerks saving and the Board on the dashboard for LOAD_ARGS' time,
# then everything stops. LOAD_ARGS="--clerks 50 --board 5 --seconds 120" by default.
LOAD_ARGS ?=
$(VENV)/.load-deps: requirements-load.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-load.txt
	touch $@

loadtest: deps $(VENV)/.load-deps
	$(BIN)/python benchmarks/deadline_day.py $(LOAD_ARGS)

lint: dev-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m config.check_layers
	DJANGO_DEBUG=False DJANGO_SECRET_KEY=lint-only-$$(head -c 64 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9') \
	  DJANGO_ALLOWED_HOSTS=kiemdiem.example $(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/mypy organizations/services.py organizations/permissions.py members/services.py \
	  members/permissions.py reviews/services reviews/selectors reviews/quota.py reviews/permissions.py \
	  reviews/rules reports/selectors

clean:
	rm -rf node_modules
	rm -rf $(VENV) staticfiles
