# Benchtop: `make run` serves the site with demo data; `make test` runs the suite (embedded mode).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
FULL_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/benchtop} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	MQTT_URL=$${MQTT_URL:-mqtt://127.0.0.1:1883} \
	CELERY_TASK_ALWAYS_EAGER=true

.PHONY: run test test-full lint bench migrate venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

migrate: venv
	$(PY) manage.py migrate --noinput

# The hardware gateway runs beside the web server in one process (run_gateway --web): the
# embedded mode's in-memory channel layer reaches only websockets of the same process.
# Labels and emailed links point at the address served here, unless SITE_URL says otherwise.
run: export SITE_URL := $(or $(SITE_URL),http://$(HOST):$(PORT))
run: migrate
	$(PY) manage.py seed_demo
	@$(PY) manage.py run_gateway --web $(HOST):$(PORT)

test: venv
	$(PY) -m pytest -n auto --maxprocesses 4 --durations 15

test-full: venv
	$(FULL_ENV) BENCHTOP_REQUIRE_SERVICES=$${CI:+1} $(PY) -m pytest -n auto --maxprocesses 4 --durations 15

lint: venv
	$(VENV)/bin/ruff check .

# `make bench` runs every bench/bench_*.py (each on a fresh database of its own); `make bench BENCH=compare` one.
bench: venv
	$(PY) bench/run.py $(BENCH)

clean:
	rm -rf $(VENV) benchtop.sqlite3 staticfiles
