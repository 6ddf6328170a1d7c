# Okienko: two commands do all set-up.
#   make run   – create .venv, install, migrate, import content/, build the search index, render the card pages,
#                serve on 127.0.0.1:5000
#   make test  – install everything the tests need (Python packages, Chromium, axe-core) and run every test
#                on SQLite and on PostgreSQL

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app kiosk
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: coverage lock run serve setup test test-sqlite test-postgres test-cluster install install-dev system-deps node-deps pg-up lint format bench bench-tools bench-nginx bench-soak clean translations

run: setup serve

setup: install translations
	$(FLASK) db upgrade heads
	$(FLASK) content import
	@if $(FLASK) search --help >/dev/null 2>&1; then $(FLASK) search rebuild; fi
	$(FLASK) pages render --all

serve:
	$(FLASK) run --host 127.0.0.1 --port 5000

install: $(VENV)/.runtime

install-dev: $(VENV)/.dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The lock files pin the whole dependency tree with hashes; requirements*.txt list what we chose.
$(VENV)/.runtime: requirements.lock | $(VENV)/bin/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev: requirements.lock requirements-dev.lock | $(VENV)/bin/python
	$(BIN)/pip install -q --require-hashes -r requirements-dev.lock
	touch $(VENV)/.runtime $@

# After changing requirements*.txt: regenerate the lock files (pip-tools lives in its own venv).
lock:
	$(PYTHON) -m venv .venv-tools
	.venv-tools/bin/pip install -q pip-tools==7.6.2
	for f in requirements requirements-dev; do \
	  .venv-tools/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras --no-header \
	    --no-emit-index-url --no-emit-find-links -o $$f.lock $$f.txt; done

# Debian's Chromium drives the browser tests; Playwright never downloads a browser of its own here.
# nginx: tests/ops runs deploy/nginx/okienko.conf for real on loopback.
system-deps:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-liberation; }
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx; }

# Interface translations (en, uk; pl for plural forms): compile the .po catalogues into .mo.
# After changing UI strings: $(BIN)/pybabel extract -F babel.cfg -k _l -o messages.pot kiosk admin, then update the
# .po files (the back office is Polish; only its translation screens speak en/uk for translators).
translations: install
	$(BIN)/pybabel compile -d kiosk/translations
	$(BIN)/pybabel compile -d kiosk/kiosk_ui/translations

node-deps: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

pg-up:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

# The two legs run side by side (each prints its report when it ends); `make test-sqlite` or
# `make test-postgres` runs one with live progress.
test: install-dev system-deps node-deps pg-up translations
	$(FLASK) content check
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

# Each leg has its own temporary tree, so two runs side by side never clean up each other's files.
TEST_TMP := $(or $(TMPDIR),/tmp)/okienko-tests

test-sqlite:
	@echo "== test suite on SQLite =="
	@mkdir -p $(TEST_TMP)
	env -u KIOSK_TEST_DATABASE_URL $(BIN)/pytest --basetemp=$(TEST_TMP)/sqlite $(PYTEST_ARGS)

# Tests marked db_independent touch no database: the SQLite leg runs them, this leg reports them as deselected.
test-postgres:
	@echo "== test suite on PostgreSQL =="
	@mkdir -p $(TEST_TMP)
	KIOSK_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest --basetemp=$(TEST_TMP)/postgres -m "not db_independent" $(PYTEST_ARGS)

# Line coverage of kiosk/ and admin/ over the SQLite leg (the figure in docs/architecture.md).
coverage: install-dev system-deps node-deps translations
	@mkdir -p $(TEST_TMP)
	env -u KIOSK_TEST_DATABASE_URL $(BIN)/coverage run -m pytest -q --basetemp=$(TEST_TMP)/coverage $(PYTEST_ARGS)
	$(BIN)/coverage report | tail -25

# Two gunicorn app servers (deploy/gunicorn.conf.py) on one PostgreSQL behind a real nginx on loopback
# (tests/ops/test_cluster.py, about a minute; not part of `make test`).
test-cluster: install-dev system-deps pg-up translations
	@echo "== two app servers behind nginx, on PostgreSQL =="
	KIOSK_TEST_CLUSTER=1 KIOSK_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest tests/ops/test_cluster.py $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks at full size (not part of the suite); figures go into docs/benchmarks.md.
bench: install-dev system-deps node-deps pg-up translations bench-tools
	$(BIN)/python bench/cards.py
	$(BIN)/python bench/search_quality.py
	$(BIN)/python bench/search_speed.py
	$(BIN)/python bench/web.py --cards 0
	$(BIN)/python bench/web.py --cards 5000
	$(BIN)/python bench/web_layers.py
	$(BIN)/python bench/kiosk.py
	$(BIN)/python bench/freshness.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/nginx_cache.py

bench-tools:
	@command -v wrk >/dev/null 2>&1 && command -v nginx >/dev/null 2>&1 || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nginx; }

# The card page through the nginx page cache against nginx serving it as a static file (about 2 minutes).
bench-nginx: install translations bench-tools
	$(BIN)/python bench/nginx_cache.py

# Soak and fault test (bench/soak.py): 10 minutes, two app servers behind nginx, an app server killed and
# the local PostgreSQL cluster restarted once (SOAK_ARGS="--minutes 1 --no-restart-postgres" for a dry run).
bench-soak: install translations system-deps pg-up
	$(BIN)/python bench/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) .venv-tools instance node_modules
