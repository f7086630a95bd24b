# Two commands: `make run` serves the demo on SQLite; `make test` runs the whole suite.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
PYTEST := $(BIN)/pytest -n 2 -p no:cacheprovider
PYTHON ?= python3

.PHONY: install dashboard run test test-sqlite test-postgres lint format clean soak bench bench-smoke

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# TimelineJS3 and the dashboard's islands come from npm, pinned by package-lock.json.
web/node_modules: web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund
	touch web/node_modules

# The dashboard's islands, built by Vite into app/dashboard/static/dist (read via its manifest).
DASHBOARD := app/dashboard/static/dist/.vite/manifest.json
$(DASHBOARD): web/node_modules web/vite.config.ts web/tsconfig.json $(shell find web/src -type f)
	npm run build --prefix web

dashboard: $(DASHBOARD)

run: install dashboard
	$(BIN)/waqai serve

test: test-sqlite test-postgres

# pytest exits 5 when it collects no tests; that is not a failure of the code under test.
test-sqlite: install dashboard
	$(PYTEST) || [ $$? -eq 5 ]

test-postgres: install dashboard
	@if [ -n "$$WAQAI_TEST_POSTGRES_URL" ]; then \
		echo "== suite on PostgreSQL"; \
		WAQAI_TEST_DATABASE_URL="$$WAQAI_TEST_POSTGRES_URL" $(PYTEST) || [ $$? -eq 5 ]; \
	else \
		echo "WAQAI_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run (.ci/run sets it)."; \
	fi

# A bounded mixed read/write load on a real server: errors must be 0, memory must level off.
SOAK_SECONDS ?= 180
soak: install
	$(BIN)/python -m bench.soak --seconds $(SOAK_SECONDS)

# The benchmark (bench/run.py): generated events imported, every scenario against its limit
# measured in the same run; the table goes to bench/results/. PostgreSQL's server comes from
# WAQAI_BENCH_POSTGRES_URL (default: waqai:waqai on 127.0.0.1:5432).
BENCH_EVENTS ?= 1000000
BENCH_DB ?= postgresql
# SQLite gets the single-connection and counts scenarios, on as many events.
BENCH_SQLITE_EVENTS ?= 1000000
bench: install
	$(BIN)/python -m bench.run --events $(BENCH_EVENTS) --db $(BENCH_DB)
	$(BIN)/python -m bench.run --events $(BENCH_SQLITE_EVENTS) --db sqlite

# 10,000 events, seconds: checks that every scenario runs, not how fast.
bench-smoke: install
	$(BIN)/python -m bench.run --events 10000 --db $(BENCH_DB) --smoke --name waqai_bench_smoke

lint: install
	$(BIN)/ruff check app tests migrations bench
	$(BIN)/ruff format --check app tests migrations bench
	$(BIN)/mypy
	rm -f var/alembic-check.db && WAQAI_DATABASE_URL=sqlite:///var/alembic-check.db $(BIN)/alembic upgrade head \
		&& WAQAI_DATABASE_URL=sqlite:///var/alembic-check.db $(BIN)/alembic check; rc=$$?; rm -f var/alembic-check.db*; exit $$rc

format: install
	$(BIN)/ruff check --fix app tests migrations bench
	$(BIN)/ruff format app tests migrations bench

clean:
	rm -rf $(VENV) web/node_modules app/dashboard/static/dist var/*.db var/*.db-*
