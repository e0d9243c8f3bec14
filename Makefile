# One-command habits: `make run` serves the cockpit on the demo data, `make test` passes the suite.
# Both create the virtual environment and (re)build the demo extracts when missing or built for an earlier month.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: run test test-calendar lint format bench load load-browsers demo setup setup-dev clean messages

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime tests/oidc_provider/package.json
	$(PY) -m pip install --quiet -r requirements-dev.txt
	# the OpenID provider the sign-in test starts on localhost (skipped where node is missing)
	if command -v npm >/dev/null; then cd tests/oidc_provider && npm ci --no-audit --no-fund --silent; fi
	touch $@

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

# Always asked: the demo extracts are rebuilt when built for an earlier month (cockpit/demo/build.py), and
# published as a new version only when they changed (cockpit/publish).
demo: $(VENV)/.runtime
	$(PY) -m cockpit.publish --demo

run: setup demo
	MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-2} $(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

# Two test processes (pytest-xdist), a test file each at a time: most of the suite waits on browsers, servers
# and subprocesses, so two share the two cores well (8 minutes instead of 15 here). Each process has its own
# state store, servers and browser; the extracts they share are built once, under a lock (tests/conftest.py).
TEST_PROCESSES ?= 2
PYTEST = $(PY) -m pytest -n $(TEST_PROCESSES) --dist loadfile
test: setup-dev demo
	$(PYTEST)

# The calendar guard (.ci/run): the date-sensitive tests again with the suite's calendar 400 days ahead and back.
test-calendar: setup-dev
	COCKPIT_TEST_SHIFT_DAYS=400 $(PYTEST) -m "calendar and not screenshots"
	COCKPIT_TEST_SHIFT_DAYS=-400 $(PYTEST) -m "calendar and not screenshots"

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: setup-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup-dev demo
	$(PY) bench/bench_pages.py
	$(PY) bench/bench_overview.py
	$(PY) bench/bench_alerts.py
	$(PY) bench/bench_publish.py
	$(PY) bench/bench_import.py
	$(PY) bench/load_server.py --sessions 20 --seconds 120

# Many readers at once for LOAD_SECONDS (not part of `test`): LOAD_SESSIONS sessions speaking Streamlit's protocol
# (bench/load_server.py: the server's p50/p95, errors, memory over time, beside the naive page under the same load);
# `make load-browsers` drives real Chromium tabs instead (bench/load.py: on one machine it measures the browsers).
LOAD_SESSIONS ?= 20
LOAD_SECONDS ?= 600
load: setup-dev demo
	$(PY) bench/load_server.py --sessions $(LOAD_SESSIONS) --seconds $(LOAD_SECONDS) --baseline-seconds 120

load-browsers: setup-dev demo
	$(PY) bench/load.py --sessions $(LOAD_SESSIONS) --seconds $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) data/demo data/published data/cache data/test data/bench shots .pytest_cache
messages: setup-dev
	$(PY) scripts/catalogs.py
