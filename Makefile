# Samordna: `make run` serves the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgres lint bench translations clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(FLASK) db upgrade
	$(FLASK) demo-data --quiet
	@echo
	@$(FLASK) demo-logins
	@echo
	@echo "Samordna runs at http://127.0.0.1:5000/  (stop with Ctrl+C)"
	@trap 'kill $$worker 2>/dev/null' EXIT; \
		$(FLASK) worker & worker=$$!; \
		$(FLASK) run --host 127.0.0.1 --port 5000

# The whole suite: import contract, then everything on SQLite (browser tests when Chromium
# is installed), then the database tests again on PostgreSQL when a server answers.
test: $(STAMP) lint
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ] || $(BIN)/python -m tests.postgres_available "$(PG_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	else \
		echo "!!! SKIPPED: PostgreSQL is not reachable at $(PG_URL); database tests ran on SQLite only."; \
	fi
	@test -x /usr/bin/chromium || echo "!!! SKIPPED: browser tests (no /usr/bin/chromium; apt-get install chromium)."

test-sqlite: $(STAMP)
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest

test-postgres: $(STAMP)
	TEST_DATABASE_URL="$${TEST_DATABASE_URL:-$(PG_URL)}" REQUIRE_POSTGRES=1 \
		$(BIN)/python -m pytest -m "not e2e" --ignore=tests/allocation

lint: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/ruff check app tests bench wsgi.py

bench: $(STAMP)
	$(BIN)/python -m bench.allocation
	$(BIN)/python -m bench.county_picture
	$(BIN)/python -m bench.redistribution
	$(BIN)/python -m bench.pdf

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching
	$(BIN)/pybabel compile -d app/translations

clean:
	rm -rf $(VENV) instance .pytest_cache
