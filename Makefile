# Taizhang. The README's two commands: `make run` and `make test`. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000
WORKERS ?= 2
JOB_WORKERS ?= 1
# An idle worker looks at the queue every 0.1 s, backing off to at most 0.5 s (huey's default
# backs off to 10 s: a confirmed import then waited ~10 s at 排队中 before it started).
JOB_POLL ?= --delay 0.1 --max-delay 0.5
# Pango renders the PDFs; WenQuanYi Micro Hei is the CJK font they embed.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-wqy-microhei
TEST_PACKAGES := chromium poppler-utils
# wrk is the load generator of the throughput benchmark; Chromium and wkhtmltopdf are the PDF
# benchmark's peers (bench/pdf_peers.py).
BENCH_PACKAGES := wrk chromium wkhtmltopdf
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_ADMIN_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres

.PHONY: help run worker test bench setup venv system-packages test-system-packages translations i18n-update fonts \
	lint test-sqlite test-postgres test-browser

help:
	@echo "make run    set up (packages, venv, migrations, demo data) and serve on 127.0.0.1:$(PORT)"
	@echo "make test   set up and run ruff, the suite on SQLite and PostgreSQL, and browser tests"
	@echo "make bench  generate benchmark data and print timings (not part of make test)"

define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo ">> installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-packages:
	$(call apt_install,$(RUN_PACKAGES))

test-system-packages: system-packages
	$(call apt_install,$(TEST_PACKAGES))

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

venv: $(VENV)/.installed

translations: venv
	@$(VENV)/bin/pybabel compile -d app/translations

# The PDF font: the system's WenQuanYi Micro Hei with everyday glyphs first (see its README).
PDF_FONT := app/static/fonts/wqy-microhei-gb.ttf
$(PDF_FONT): app/services/core/pdf_font.py | system-packages venv
	$(PY) -m app.services.core.pdf_font

fonts: $(PDF_FONT)

# After changing user-facing strings: refresh the catalogue, then translate the new entries.
i18n-update: venv
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs '.*' \
	  --no-location --sort-output \
	  -o app/translations/messages.pot .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations \
	  --no-fuzzy-matching --ignore-obsolete --no-wrap

setup: system-packages venv translations fonts
	$(FLASK) db upgrade
	$(FLASK) demo-data --if-empty

# The job worker (huey_consumer, app/jobs.py) runs beside gunicorn. When gunicorn stops (Ctrl-C,
# TERM) the trap stops the worker gracefully (SIGINT: it finishes the chunk it is writing).
# --timeout: the dry run of a large file is checked within its upload request.
run: setup
	@$(VENV)/bin/huey_consumer app.jobs.huey --workers $(JOB_WORKERS) $(JOB_POLL) \
	  --logfile instance/worker.log & worker=$$!; \
	echo ">> job worker started (pid $$worker, log instance/worker.log)"; \
	trap 'kill -INT $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(VENV)/bin/gunicorn --workers $(WORKERS) --threads 4 --timeout 120 \
	  --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

# The job worker alone (e.g. on another machine, with REDIS_URL and DATABASE_URL set).
worker: setup
	exec $(VENV)/bin/huey_consumer app.jobs.huey --workers $(JOB_WORKERS) $(JOB_POLL)

# ruff, then the layering rules (import-linter contracts in pyproject.toml).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

test-sqlite: venv translations fonts
	$(VENV)/bin/pytest -q -n 2 -m "not browser" -p no:cacheprovider

# The same suite on PostgreSQL: TEST_DATABASE_URL, or the local server when it answers.
test-postgres: venv translations fonts
	@url="$${TEST_DATABASE_URL:-}"; \
	if [ -z "$$url" ] && $(PY) -c "import psycopg; psycopg.connect('host=127.0.0.1 port=5432 user=postgres dbname=postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  url="$(PG_ADMIN_URL)"; fi; \
	if [ -z "$$url" ]; then \
	  echo "################################################################"; \
	  echo "## POSTGRESQL LEG SKIPPED: no TEST_DATABASE_URL and no server  ##"; \
	  echo "## answering on 127.0.0.1:5432. Only SQLite was tested.        ##"; \
	  echo "################################################################"; \
	else \
	  echo ">> PostgreSQL leg on $$url"; \
	  TEST_DATABASE_URL="$$url" $(VENV)/bin/pytest -q -n 2 -m "not browser" -p no:cacheprovider; \
	fi

test-browser: test-system-packages venv translations fonts
	$(VENV)/bin/pytest -q -m browser -p no:cacheprovider tests/browser

test: test-system-packages lint test-sqlite test-postgres test-browser

# Each bench prints its figures (a missed target says MISSED); one's miss does not stop the next.
bench: setup
	$(call apt_install,$(BENCH_PACKAGES))
	-$(PY) -m bench.run
	-$(PY) -m bench.pdf
	-$(PY) -m bench.receivables
	-$(PY) -m bench.imports
	-$(PY) -m bench.throughput
	-$(PY) -m bench.service
	-$(PY) -m bench.service_sla
	-$(PY) -m bench.service_statistics
	-$(PY) -m bench.archive_filing
	-$(PY) -m bench.archive_catalogue
	-$(PY) -m bench.archive_checks
