# DaoTao: `make run` starts the demo, `make test` runs the whole suite (README).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

WORKERS ?= 3
THREADS ?= 4

.PHONY: run run-academy serve test install install-dev migrate demo lint format messages messages-check migrations-check bench clean

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "DaoTao needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "DaoTao: http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The national Academy's installation (README, "The Academy installation"): the demo school
# sends its yearly figures packages to an Academy database beside three synthetic schools.
ACADEMY_DATABASE_URL ?= sqlite:///$(CURDIR)/academy.sqlite3
run-academy: install
	ACADEMY_DATABASE_URL=$(ACADEMY_DATABASE_URL) $(PY) scripts/academy_demo.py
	@echo "DaoTao, the Academy: http://$(HOST):$(PORT)/  (vien.daotao / daotao-demo-2020; stop with Ctrl+C)"
	DATABASE_URL=$(ACADEMY_DATABASE_URL) DAOTAO_ROLE=academy $(PY) manage.py runserver $(HOST):$(PORT)

# Production serving (docs/deploy.md): set DAOTAO_ENV=production, SECRET_KEY, ALLOWED_HOSTS
# and DATABASE_URL first. Static files are collected and served by whitenoise from gunicorn.
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/gunicorn daotao.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) --threads $(THREADS) \
		--access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# Needs GNU gettext (xgettext, msgfmt).
messages: install-dev
	$(PY) manage.py makemessages --locale vi --no-obsolete --no-location --ignore '.venv/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages --locale vi --ignore '.venv/*'

messages-check: install-dev
	$(PY) scripts/check_messages.py

migrations-check: install-dev
	$(PY) manage.py makemigrations --check --dry-run

bench: install-dev
	$(PY) -m bench.reports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
