# Two commands do everything: `make run` and `make test`. Both create .venv when it is missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

VENDOR := src/jixiao/web/static/vendor
ASSETS := $(VENDOR)/.installed

.PHONY: setup run test lint bench clean browser fuzz

setup: $(STAMP) $(ASSETS)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q src >/dev/null  # bytecode as pip makes it, even where PYTHONDONTWRITEBYTECODE is set
	touch $(STAMP)

# The web application's browser assets, from the npm registry through the committed lockfile (no CDN).
$(ASSETS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js \
	   node_modules/modern-normalize/modern-normalize.css $(VENDOR)/
	touch $(ASSETS)

# Debian's chromium and CJK fonts for the browser tests (never a downloaded browser).
browser:
	@if ! command -v chromium >/dev/null || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1; then \
	  apt-get update && apt-get install -y chromium fonts-noto-cjk; fi

run: $(STAMP) $(ASSETS)
	$(BIN)/jixiao ingest --samples && $(BIN)/jixiao users demo && $(BIN)/jixiao summary && $(BIN)/jixiao serve

test: $(STAMP) $(ASSETS) browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

# The long robustness runs (make test runs a slice of each): 100,000 mutated inputs across every reader, the
# 2 GB zip bombs, and ingest killed with SIGKILL 25 times on SQLite and on PostgreSQL.
fuzz: $(STAMP)
	nice $(BIN)/python -m tests.test_fuzz --cases 100000
	JIXIAO_BOMB_MB=2048 JIXIAO_KILL_RUNS=25 nice $(BIN)/python -m pytest -q tests/robust/test_bombs.py tests/robust/test_kill.py

# Ingest, queries and exports at scale: BENCH_INGEST='--docs 100000' for the province's size, DB=postgresql://…
# for the same figures on PostgreSQL (stores made as databases beside it, dropped after).  The web bench serves
# 100,000 projects beside datasette (BENCH_WEB='--projects 10000' for a quicker one; with DB, a schema of it).
bench: $(STAMP) $(ASSETS)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/check.py
	$(BIN)/python bench/ingest.py $(BENCH_INGEST) $(if $(DB),--db $(DB))
	$(BIN)/python bench/web.py $(BENCH_WEB) $(if $(DB),--db $(DB))
	-$(BIN)/python bench/startup.py  # a missed goal is reported (exit 1); the other benches still run
	-$(BIN)/python bench/live.py --strict
	$(BIN)/python bench/forms.py
	$(BIN)/python bench/cycle.py  # score-on-change in-process, then against jixiao serve in its own process

clean:
	rm -rf $(VENV) node_modules $(VENDOR) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
