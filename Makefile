# Two commands do all the set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP_INSTALL := $(PY) -m pip install -q -c constraints.txt

.PHONY: demo test docs docs-fast lint clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PIP_INSTALL) torch==2.13.0
	$(PIP_INSTALL) -e ".[datasets,plot,explain,dev]"
	touch $@

$(VENV)/.docs-installed: $(VENV)/.installed
	$(PIP_INSTALL) -e ".[docs]"
	touch $@

demo: $(VENV)/.installed
	$(PY) examples/demo.py

test: $(VENV)/.installed
	$(PY) -m pytest -q

docs: $(VENV)/.docs-installed
	$(VENV)/bin/sphinx-build -W --keep-going -b html docs docs/_build/html

# Same build without executing the example gallery (what CI runs).
docs-fast: $(VENV)/.docs-installed
	SKTIME_HAR_DOCS_FAST=1 $(VENV)/bin/sphinx-build -W --keep-going -b html docs docs/_build/html

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check sktime_har tests benchmarks examples

clean:
	rm -rf $(VENV) docs/_build docs/auto_examples docs/generated
