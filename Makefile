# Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON_VERSION := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMPS := .stamps

.PHONY: run test test-postgres test-browser lint format check install messages collectstatic clean

install: $(STAMPS)/python $(STAMPS)/node

# Python >= 3.12 from pyenv if the machine's default is older (these machines: 3.11).
$(PY):
	@set -e; \
	candidate=""; \
	for p in "$$(command -v pyenv >/dev/null && pyenv root)/versions/$(PYTHON_VERSION)/bin/python3" python3.13 python3.12 python3; do \
	  if [ -n "$$p" ] && command -v "$$p" >/dev/null 2>&1 && "$$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then candidate="$$p"; break; fi; \
	done; \
	if [ -z "$$candidate" ]; then echo "Python >= 3.12 is needed (pyenv install $(PYTHON_VERSION))." >&2; exit 1; fi; \
	echo "Creating $(VENV) with $$candidate"; \
	"$$candidate" -m venv $(VENV)

$(STAMPS)/python: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  prcouncil demo on http://127.0.0.1:$(PORT)  (password for every demo user: $${DEMO_PASSWORD:-council-1405})"
	@echo "    director            director-general / secretariat (edits the plan, reviews, admin)"
	@echo "    evaluator           council member (scores agencies)"
	@echo "    viewer              read-only"
	@echo "    officer-<code>      an agency's PR officer, e.g. officer-education, officer-yums, officer-gas"
	@echo "  with the task worker and the scheduler (the day's reminders; emails are written to sent-emails/)"
	@echo ""
	PY=$(PY) PORT=$(PORT) tools/run_dev.sh

# pytest-django lets DJANGO_SETTINGS_MODULE from the environment override pyproject's
# test settings, so the suite names them itself.
test: install
	$(PY) -m pytest --ds=prcouncil.settings.test

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(PY) -m pytest --ds=prcouncil.settings.test

test-browser: install
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest --ds=prcouncil.settings.test -m browser

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

# Each app keeps its own catalogue (<app>/locale); templates/ and prcouncil/ use locale/.
messages: install
	$(PY) manage.py makemessages -l fa --no-location --ignore=node_modules --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

collectstatic: install
	$(PY) manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) node_modules $(STAMPS) staticfiles
