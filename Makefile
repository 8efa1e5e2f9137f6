# Two commands do everything (see README.md):
#   make reproduce   create the environment if missing, rerun the whole study for the default region
#   make test        unit tests, reproduction-ledger checks, nbval regression checks of the notebooks
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
REGION ?= kemerovo
JOBS   ?= 2
# Byte-stable outputs: no build dates in figure files, stable hashing.
export SOURCE_DATE_EPOCH := 0
export PYTHONHASHSEED := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help env reproduce test test-fast unit nbval lint format lock lab rosstat all-regions report check-inputs check-readings sweep bench clean

help:
	@echo "make reproduce   rerun the whole study for REGION=$(REGION) (creates $(VENV) if missing)"
	@echo "make test        unit tests, ledger checks and nbval on the committed notebooks"
	@echo "make test-fast   the unit tests without the slow ones (runs, browser, benchmark harness)"
	@echo "make lint        ruff (lint and format check, notebooks included) and mypy"
	@echo "make format      ruff format and the safe ruff fixes"
	@echo "make lab         open the notebooks in JupyterLab, same environment"
	@echo "make all-regions rerun the study for every region (JOBS=$(JOBS))"
	@echo "make report      offline book of REGION's executed notebooks in build/report/$(REGION)/"
	@echo "make check-inputs validate a user's region folder data/user/REGION/"
	@echo "make check-readings run every region and the worked example, sweep every generated sentence"
	@echo "make sweep       every region through every step, and every sentence checked (tens of minutes)"
	@echo "make bench       benchmarks (not part of make test): writes benchmarks/RESULTS.md (PARTS=a,b for some)"

# The environment: a plain venv from the pinned lock file, package installed editable.
$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: install it, or run make PYTHON=/path/to/python3.11"; exit 1; }
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version.split()[0]'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

env: $(STAMP)

reproduce: $(STAMP)
	$(BIN)/python -m analysis run --region $(REGION) --jobs $(JOBS)
	$(BIN)/python -m analysis figures-readme

# The tests on TEST_JOBS cores (pytest-xdist): a test file's tests, or a notebook's cells, stay on one worker, so
# a module's fixtures (a run of the study, a built book) are made once.
TEST_JOBS ?= 2
PYTEST_JOBS := -n $(TEST_JOBS) --dist loadfile

unit: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_JOBS)

nbval: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_JOBS) --nbval-lax --nbval-current-env \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg notebooks/

test: unit nbval

# Every region through every step, in copies of the repository (tests marked sweep; make test
# runs a handful of hard regions instead): about 40 minutes on two cores.
sweep: $(STAMP)
	$(BIN)/python -m pytest -q -m sweep --sweep

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_JOBS) -m "not slow"

# Style that is enforced: .ci/run runs this before make test.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The lock: a fresh venv from requirements.in, frozen into requirements.txt; environment.yml from it.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.in
	$(PYTHON) tools/lock.py freeze build/lock-venv

# Opened at the repository root (notebooks first), so data/, figures/ and build/notebooks/ are in reach.
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks

rosstat: $(STAMP)
	$(BIN)/python -m analysis import

all-regions: $(STAMP)
	$(BIN)/python -m analysis run --region all --jobs $(JOBS)

report: $(STAMP)
	$(BIN)/python -m analysis report --region $(REGION)

check-inputs: $(STAMP)
	$(BIN)/python -m analysis check-inputs $(REGION)

# The sweep of every generated sentence and figure shape (analysis/runner/readings_check.py): all
# regions, then the worked example folder (run as tomsk, reported as example_region); findings in
# build/check-readings.csv, counts printed; fails if there is any.
check-readings: $(STAMP)
	$(BIN)/python -m analysis run --region all --jobs $(JOBS)
	$(BIN)/python -m analysis run --region tyumen_excl_ao,arkhangelsk_excl_nenets --jobs $(JOBS)
	$(BIN)/python -m analysis.runner.readings_check --out build/check-readings.csv > build/check-readings.txt; \
	  all=$$?; cat build/check-readings.txt; \
	  $(BIN)/python -m analysis run --region tomsk --param user_folder=data/user/example_region --jobs $(JOBS) && \
	  $(BIN)/python -m analysis.runner.readings_check tomsk --as example_region --append --out build/check-readings.csv; \
	  example=$$?; test $$all -eq 0 -a $$example -eq 0

# Benchmark-only packages (ecomplexity and its scipy) go to one side: installed into .venv, scipy
# would slow seaborn's import in every notebook and so the very runs being measured.
BENCH_DEPS := build/bench-deps

$(BENCH_DEPS)/.installed: benchmarks/requirements-bench.txt $(STAMP)
	rm -rf $(BENCH_DEPS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --target $(BENCH_DEPS) -r benchmarks/requirements-bench.txt
	touch $@

# PARTS=regions,limits runs some parts only (benchmarks/README.md lists them).
bench: $(STAMP) $(BENCH_DEPS)/.installed
	$(BIN)/python benchmarks/run.py --json build/bench.json $(if $(PARTS),--parts $(PARTS))

clean:
	rm -rf build .pytest_cache
