# Everyday commands. Each target creates the virtual environment (.venv) on first use and
# reinstalls the project whenever pyproject.toml changes, so a fresh clone needs only python3.
#
#   make run     migrate, load the demo, serve http://127.0.0.1:8000 and run the worker (emails)
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

.PHONY: help install run worker migrate demo test lint check bench clean

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

# The full demo: programme, ~770 attendees, logins. By default it is moved three weeks ahead so that
# seat booking is open; `make run DEMO_ARGS=` keeps the historical 3-4 February 2016, and
# `make run DEMO_ARGS="--first-day today"` lets door scanning admit people today.
DEMO_ARGS ?= --first-day +21

demo: migrate
	$(PY) manage.py load_demo $(DEMO_ARGS)

# Two processes from the Procfile: the web server and the background worker that sends the outbox's
# emails (printed on the console in development). honcho prefixes each line with the process's name.
run: demo
	@echo "Serving http://$(HOST):$(PORT)/ with a worker beside it  (Ctrl-C stops both)"
	HOST=$(HOST) MVT_PORT=$(PORT) $(BIN)/honcho -f Procfile start

# The worker alone (e.g. beside a server you started yourself).
worker: migrate
	$(PY) manage.py run_worker

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
