# Everyday commands. Each target creates the virtual environment (.venv) on first use and
# reinstalls the project whenever pyproject.toml changes, so a fresh clone needs only python3.
#
#   make run     migrate, load the demo and serve http://127.0.0.1:8000
#   make test    the whole test suite (SQLite; set DATABASE_URL for PostgreSQL)
#   make lint    ruff
#   make bench   programme page benchmarks (bench/, never part of the test suite)

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test ARGS="-x tests/programme"`.
ARGS ?=

.PHONY: help install run migrate demo test lint check bench clean

help:
	@sed -n 's/^#   //p' Makefile

install: $(VENV)/.installed

# python3 -m venv needs ensurepip, which Debian ships separately (python3-venv). Without it,
# make the venv without pip and let the system pip install pip into it.
$(VENV)/.installed: pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	    echo "python3 -m venv failed (no ensurepip?); bootstrapping pip from the system pip"; \
	    rm -rf $(VENV) && $(PYTHON) -m venv --without-pip $(VENV) && \
	    $(PYTHON) -m pip --python $(PY) install --quiet pip; \
	  } || { echo "Could not create $(VENV): install python3-venv (apt-get install python3-venv)"; exit 1; }; \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

migrate: install
	$(PY) manage.py migrate --noinput

# Prefer the full demo (programme, people, logins) when it exists; its output, logins included, is shown.
demo: migrate
	@if $(PY) manage.py help load_demo >/dev/null 2>&1; then \
	  $(PY) manage.py load_demo; \
	else \
	  $(PY) manage.py load_demo_programme; \
	fi

run: demo
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(BIN)/pytest $(ARGS)

lint: install
	$(BIN)/ruff check .

# Consistency checks CI runs besides the tests.
check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: install
	$(PY) bench/bench_programme.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
