# innohub — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LANGUAGES := bn bs fr
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install assets messages translations check-translations migrate seed lint format typecheck check serve worker bench bench-tree bench-import bench-export bench-services bench-pipeline bench-dashboard bench-talent bench-recorder cluster cluster-stop load faults lighthouse clean

## Environment ------------------------------------------------------------------------------
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# Built again only when a source changed (a stamp in the git-ignored output): so two
# `make test` at once (CI runs SQLite and PostgreSQL side by side) do not build over each
# other once the assets and catalogues are built.
ASSET_SOURCES := $(shell find assets/scss assets/build.mjs -type f 2>/dev/null) package.json
assets/build/.built: node_modules/.installed $(ASSET_SOURCES)
	npm run --silent build
	touch $@

assets: assets/build/.built

CATALOGUES := $(wildcard innohub/locale/*/LC_MESSAGES/django.po)
innohub/locale/.compiled: $(VENV)/.installed $(CATALOGUES)
	$(PY) manage.py compile_translations
	touch $@

messages: innohub/locale/.compiled

# After adding or changing user-visible strings (needs GNU gettext): extract them into the
# catalogues, fill the new entries, then `make check-translations`.
translations: $(VENV)/.installed
	$(PY) manage.py makemessages $(foreach lang,$(LANGUAGES),-l $(lang)) \
	  --ignore=.venv --ignore=node_modules --ignore=tests --ignore=bench --ignore=docs \
	  --ignore=staticfiles --ignore=assets --ignore=var

check-translations: $(VENV)/.installed
	$(PY) manage.py check_translations

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## The two commands -------------------------------------------------------------------------
# The task worker runs beside the development server (its log in var/worker.log), so that
# what waits for it — large imports and exports, e-mails, monthly reviews — happens here too;
# it stops with the server.
run: install assets messages seed
	$(PY) manage.py demo_logins --url http://$(HOST):$(PORT)
	@$(PY) manage.py worker >>var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "The task worker runs beside the server (log: var/worker.log)."; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: install assets messages
	$(PY) -m pytest $(PYTEST_ARGS)

## Quality ------------------------------------------------------------------------------------
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy innohub

check: lint typecheck
	$(PY) manage.py makemigrations --check --dry-run

## Production-like helpers --------------------------------------------------------------------
# As in production: hashed, compressed (gzip and Brotli), long-cached static files.
serve: export STATICFILES_STORAGE ?= whitenoise.storage.CompressedManifestStaticFilesStorage
serve: export WHITENOISE_USE_FINDERS ?= 0
serve: install assets messages migrate
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/gunicorn innohub.wsgi --bind $(HOST):$(PORT) --workers 2 --timeout 120

worker: $(VENV)/.installed
	$(PY) manage.py worker

## Benchmarks (not part of make test) ---------------------------------------------------------
bench: bench-tree bench-import bench-export bench-services bench-pipeline bench-dashboard bench-talent bench-recorder

bench-tree: $(VENV)/.installed
	$(PY) bench/tree.py

# 1,000,000 journey step rows from CSV: SQLite always, PostgreSQL too when DATABASE_URL is one.
bench-import: $(VENV)/.installed
	env -u DATABASE_URL $(PY) bench/import_journeys.py
	if [[ "$${DATABASE_URL:-}" == postgres* ]]; then $(PY) bench/import_journeys.py; fi

# The worker's export of 1,000,000 rows (CSV, XLSX) and a request's 100,000: rows/s, memory.
bench-export: $(VENV)/.installed
	env -u DATABASE_URL $(PY) bench/export_journeys.py
	if [[ "$${DATABASE_URL:-}" == postgres* ]]; then $(PY) bench/export_journeys.py; fi

# A service of 120,000 journeys against one of 50, on SQLite and PostgreSQL side by side:
# pages and API medians through gunicorn (BENCH_POSTGRES_URL, default innohub_bench).
bench-services: $(VENV)/.installed
	env -u DATABASE_URL $(PY) bench/services_scale.py

# The pilot list and page at 110,000 pilots, similar ideas over 100,000 ideas: medians and p95
# through gunicorn (BENCH_PIPELINE_POSTGRES_URL, default innohub_bench_pipeline).
bench-pipeline: $(VENV)/.installed
	env -u DATABASE_URL $(PY) bench/pipeline_scale.py

# The a2i profile at 1x and 100x (about 110,000 pilots, a million journeys): generated, then
# the funnel API, the dashboard, a service's TCV page and the open data, median and p95,
# on SQLite and PostgreSQL (BENCH_DASHBOARD_POSTGRES_URL, default innohub_bench_dashboard).
bench-dashboard: $(VENV)/.installed
	env -u DATABASE_URL $(PY) bench/dashboard.py

# The Free Agents' plan at 10,000 agents and 2,000 challenges, and with as many seats as agents:
# pairs, rounds, seconds, peak memory, against OR-tools on every pair (ADR 0029; no database).
bench-talent: $(VENV)/.installed
	$(PY) bench/talent_plan.py $(BENCH_TALENT_ARGS)
	env -u DATABASE_URL $(PY) bench/talent_service.py

# The recorder on a throttled phone (Chromium's CPU and network throttling, Playwright): each
# of 150 steps saved, the queue sent, the page's weight first and later (bench/recorder.py).
bench-recorder: install assets messages
	$(PY) bench/recorder.py $(BENCH_RECORDER_ARGS)

## A production-like cluster on this machine (bench/cluster.py; needs Debian's postgresql and
## nginx): a PostgreSQL primary and a streaming replica, two app servers, nginx, two workers.
cluster: install assets messages
	$(PY) bench/cluster.py start $(CLUSTER_ARGS)

cluster-stop: $(VENV)/.installed
	$(PY) bench/cluster.py stop

# Locust, for the load test only (not needed by `make test`).
$(VENV)/.installed-load: $(VENV)/.installed
	$(PY) -m pip install --quiet -c requirements.lock -e ".[dev,load]"
	touch $@

# 200 simulated people for 2 minutes on the running cluster (bench/load.py; LOAD_ARGS to change).
load: $(VENV)/.installed-load
	$(PY) bench/load.py $(LOAD_ARGS)

# Faults under load on the running cluster, each checked (bench/faults.py; FAULTS to pick).
faults: $(VENV)/.installed-load
	$(PY) bench/faults.py $(FAULTS)

# Lighthouse 12 (pinned in bench/lighthouse/, installed here only) with Debian's Chromium on
# the home, catalogue, service and recording pages, served by gunicorn as in production.
bench/lighthouse/node_modules/.installed: bench/lighthouse/package.json bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $@

lighthouse: install assets messages bench/lighthouse/node_modules/.installed
	$(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

clean:
	rm -rf bench/lighthouse/node_modules $(VENV) node_modules assets/build staticfiles var innohub/locale/.compiled
