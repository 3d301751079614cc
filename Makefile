# Two commands do everything on a fresh clone (only Python 3.11 and make needed):
#   make serve   set up .venv and run the server on 127.0.0.1:8080
#   make test    set up .venv with test extras, lint, and run the whole suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: serve test lint validate stats clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

serve: $(VENV)/.installed
	$(BIN)/rivm-graph serve --host $${RIVM_HOST:-127.0.0.1} --port $${RIVM_PORT:-8080}

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/python -m pytest

validate: $(VENV)/.installed
	$(BIN)/rivm-graph validate

stats: $(VENV)/.installed
	$(BIN)/rivm-graph stats

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
