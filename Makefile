# Two commands do everything on a fresh clone (only Python 3.11 or later and make needed):
#   make serve   set up .venv and run the server on 127.0.0.1:8080
#   make test    set up .venv with test extras, install Chromium, Virtuoso, curl and node when it
#                can (apt, as root or with password-less sudo), build the query editor when npm
#                can reach its registry, lint, and run the whole suite
#   make editor  only build the query page's editor (CodeMirror 6; optional, never committed)
#   make test-virtuoso  only the tests of the service on Virtuoso (virtuoso-opensource installed)
#   make bench   our SPARQL server (embedded, and on Virtuoso) against rdflib-endpoint 0.6.3 (BENCH_ARGS=...)
#   make loadtest  mixed load with runaway queries for 60 s at 16 clients (LOADTEST_ARGS=...)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve test test-virtuoso lint system-packages test-tools editor validate stats bench loadtest clean

# program=Debian package: what the browser tests, the tests on Virtuoso and the snippet tests need
# (npm brings axe-core and vnu.jar, which runs on java).
TEST_PROGRAMS := chromium=chromium virtuoso-t=virtuoso-opensource curl=curl node=nodejs npm=npm java=default-jre-headless
# axe-core and the Nu Html Checker (vnu-jar) for the page tests, from the npm registry at the
# versions the lock file pins (tests/npm); neither is ever served to readers.
NPM_TOOLS := tests/npm/node_modules/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

serve: $(VENV)/.installed
	$(BIN)/rivm-graph serve --host $${RIVM_HOST:-127.0.0.1} --port $${RIVM_PORT:-8080}

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# Without root or sudo nothing is installed: the tests that need a missing program skip, and
# pytest's summary says so in one line.
system-packages:
	@scripts/system-packages.sh $(TEST_PROGRAMS)

# Without npm nothing is installed and the accessibility and HTML tests skip (in CI they fail).
test-tools: system-packages
	@$(MAKE) --no-print-directory $(NPM_TOOLS)

$(NPM_TOOLS): tests/npm/package.json tests/npm/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/npm --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm missing: the accessibility and HTML tests (axe-core, vnu.jar) skip"; fi

# The query page's editor (CodeMirror 6 from the npm registry, bundled, never committed); without
# npm or the registry it says so and the page keeps its plain form.
editor:
	@scripts/build-editor.sh

test: lint test-tools editor
	$(BIN)/python -m pytest

# Only the tests against the service on Virtuoso (RIVM_STORE=sparql); needs virtuoso-opensource.
test-virtuoso: $(VENV)/.installed-test
	@scripts/system-packages.sh virtuoso-t=virtuoso-opensource
	$(BIN)/python -m pytest -m virtuoso

# wrk drives the load and Virtuoso is the third column when they can be installed (apt, as root
# or with password-less sudo); without wrk bench/run.py uses Python clients, without Virtuoso it
# leaves that column out.
bench: $(VENV)/.installed-bench
	@scripts/system-packages.sh wrk=wrk virtuoso-t=virtuoso-opensource
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# A bounded load run on loopback (60 s, 16 clients, a share of runaway queries); prints figures.
loadtest: $(VENV)/.installed
	$(BIN)/python -m bench.loadtest $(LOADTEST_ARGS)

validate: $(VENV)/.installed
	$(BIN)/rivm-graph validate

stats: $(VENV)/.installed
	$(BIN)/rivm-graph stats

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache tests/npm/node_modules editor/node_modules rivm_graph/web/static/editor
