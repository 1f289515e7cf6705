# Every target here is a command from the README.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed

.PHONY: run test lint format coverage demo bench loadtest lock install clean backup restore messages translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Development: the application, the tests and the tools, every version pinned.
$(INSTALLED): $(BIN)/python pyproject.toml requirements.lock requirements-dev.lock
	$(BIN)/pip install --quiet -c requirements.lock -c requirements-dev.lock -e ".[dev]"
	touch $(INSTALLED)

# Production: what runs, nothing else (make install VENV=/srv/repertoire/.venv), and
# the compiled catalogues of the fiche parcours (needs gettext).
install: $(BIN)/python
	$(BIN)/pip install --quiet -c requirements.lock .
	$(BIN)/python manage.py compilemessages --ignore "$(VENV)/*" --ignore ".venv*/*"

# The fiche parcours' catalogues (locale/<language>/LC_MESSAGES/django.po), compiled to .mo:
# needs gettext (Debian package gettext).
messages: $(INSTALLED)
	$(MANAGE) compilemessages --ignore ".venv*/*"

# After a label of liaison/parcours/handout.py changes: refresh every catalogue's msgids.
translations: $(INSTALLED)
	$(MANAGE) makemessages --all --no-location --ignore ".venv/*" --ignore "build/*" \
		--ignore "staticfiles/*" --ignore "templates/simple_history/*"

# The web server and, beside it, the task worker that builds the PDF editions and runs
# the imports; Ctrl-C stops both (the worker's render processes die with it).
run: messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo --if-empty
	@$(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

# One test process per core (pytest-xdist), each with its own test database.
test: messages
	$(BIN)/pytest -n auto

# The share of the code the tests run, with the processes they start (make coverage).
coverage: messages
	rm -f .coverage .coverage.*
	$(BIN)/coverage run -m pytest
	$(BIN)/coverage combine --quiet
	$(BIN)/coverage report
	$(BIN)/coverage html --quiet
	@echo "Détail par fichier : htmlcov/index.html"

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

demo: $(INSTALLED)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo --reset

bench: messages
	$(BIN)/python tests/bench.py

# 50 logged-in clients for 60 s on gunicorn and PostgreSQL (127.0.0.1 only), in a
# throw-away database beside DATABASE_URL's: DATABASE_URL=postgres://… make loadtest
loadtest: messages
	$(BIN)/python tests/loadtest.py

# A complete, dated dump in backups/ (and a pg_dump archive on PostgreSQL).
backup: $(BIN)/python
	$(MANAGE) backup_directory --output backups

# Restore a backup into an empty database: make restore FILE=backups/repertoire-….json
restore: $(BIN)/python
	@test -n "$(FILE)" || { echo "Indiquez le fichier : make restore FILE=backups/…"; exit 2; }
	$(MANAGE) restore_directory "$(FILE)"

# Re-pin every dependency after a change to pyproject.toml: the run-time set alone in
# a throw-away virtualenv, then what the development set adds.
lock: $(BIN)/python
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet .
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^repertoire' > requirements.lock
	rm -rf .venv-lock
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	$(BIN)/pip freeze --exclude-editable | grep -vxFf requirements.lock > requirements-dev.lock

clean:
	rm -rf $(VENV) staticfiles htmlcov .coverage .coverage.*
	find locale -name '*.mo' -delete
