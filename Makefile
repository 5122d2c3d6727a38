# KTPku task runner. `make run` for a demo on this machine, `make test` for the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
export DJANGO_SETTINGS_MODULE := ktpku.settings

.PHONY: install run test lint format messages bench load worker backup restore

$(BIN)/python:
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))" || { echo "KTPku needs Python 3.11 (found: $(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The demo server: DEBUG on, demo data loaded (again, harmlessly, on every run).
run: install
	mkdir -p var
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py seed_demo --logins
	DEBUG=$${DEBUG:-true} OTP_REQUIRED=$${OTP_REQUIRED:-false} $(BIN)/python manage.py runserver $(HOST)

# The whole suite, against whatever DATABASE_URL and CELERY_BROKER_URL say.
test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Regenerate the Indonesian catalogue after changing strings, then translate the new
# entries in locale/id/LC_MESSAGES/django.po and compile.
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l id --no-obsolete --ignore=.venv --ignore=var --ignore="tests/*" --ignore="bench/*"
	DEBUG=true $(BIN)/python manage.py compilemessages -l id --ignore=.venv

worker: install
	DEBUG=$${DEBUG:-true} $(BIN)/celery -A ktpku worker -l info -Q default,slow

# One JSON line per scenario (README, "Performance"); `make bench SCENARIO=flag_1m` runs one.
bench: install
	$(BIN)/python -m pytest bench -q -s $(if $(SCENARIO),-k "$(SCENARIO)")

# LOAD-01: 50 staff for ten minutes (LOAD_SECONDS) at 100,000 students; fails on a breach.
load: install
	$(BIN)/python -m pytest bench/load_01.py -q -s

# DB-04: `make backup` writes var/backups/ktpku-<time>.dump (or OUTPUT=<file>; mode 600,
# copy it off the host); `make restore DUMP=<file>` loads it into the empty database
# DATABASE_URL names (PostgreSQL: pg_dump -Fc / pg_restore; SQLite: a copy of the file).
backup:
	$(BIN)/python manage.py backup $(if $(OUTPUT),--output "$(OUTPUT)")

restore:
	@test -n "$(DUMP)" || { echo "usage: make restore DUMP=var/backups/<file>.dump"; exit 2; }
	$(BIN)/python manage.py restore "$(DUMP)"
