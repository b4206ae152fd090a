# IK – the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := $(UV) run --frozen python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev browser lint typecheck migrations-check pytest serve worker clean

$(UV):
	python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv

install: $(UV)
	$(UV) sync --frozen --no-dev

install-dev: $(UV)
	$(UV) sync --frozen

# Debian's Chromium drives the browser tests; Playwright's own download is not used.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installerar Chromium från Debian…"; \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
	  $(if $(filter 0,$(shell id -u)),,sudo) apt-get install -y -qq chromium >/dev/null; \
	fi

run: install
	mkdir -p var
	$(PY) manage.py migrate --no-input
	$(PY) manage.py loaddemo
	@echo ""
	@echo "IK körs på http://$(HOST):$(PORT)/ – logga in med en av demoanvändarna ovan."
	@echo "Avsluta med Ctrl+C."
	@trap 'kill 0' EXIT INT TERM; \
	  $(PY) manage.py worker & \
	  $(PY) manage.py sendreminders --loop & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# The production web server (README, "Drift"): refuses development settings, then migrates,
# collects static files and runs gunicorn with deploy/gunicorn.conf.py on HOST:PORT.
serve: install
	$(PY) manage.py productioncheck
	$(PY) manage.py migrate --no-input
	$(PY) manage.py collectstatic --no-input --verbosity 0
	HOST=$(HOST) PORT=$(PORT) exec $(UV) run --frozen --no-dev gunicorn -c deploy/gunicorn.conf.py

lint: install-dev
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports

typecheck: install-dev
	$(UV) run --frozen mypy ik

migrations-check: install-dev
	mkdir -p var
	$(PY) manage.py makemigrations --check --dry-run

pytest: install-dev browser
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(UV) run --frozen pytest

test: lint typecheck migrations-check pytest

clean:
	rm -rf var .venv
