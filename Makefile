# Two commands on a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test unit e2e bench lint audit clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq chromium

run: $(VENV)/.runtime
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.address localhost

test: $(VENV)/.dev $(CHROMIUM) node_modules/axe-core/axe.min.js
	$(PY) -m sdm validate
	$(PY) -m pytest

unit: $(VENV)/.dev
	$(PY) -m pytest -m "not e2e"

bench: $(VENV)/.dev $(CHROMIUM)
	$(PY) -m bench

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

# Offline-safe: audits the pinned requirements when pip-audit and the package index are reachable.
audit: $(VENV)/.dev
	@if $(PY) -m pip install --quiet --disable-pip-version-check pip-audit==2.10.1 2>/dev/null; then \
		$(PY) -m pip_audit -r requirements.txt || exit $$?; \
	else echo "audit skipped: pip-audit could not be installed (no package index reachable)"; fi

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis
