# Every target here is a command from the README.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
INSTALLED := $(VENV)/.installed

.PHONY: run test lint format demo bench lock clean backup restore messages translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(INSTALLED): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(INSTALLED)

# The fiche parcours' catalogues (locale/<language>/LC_MESSAGES/django.po), compiled to .mo:
# needs gettext (Debian package gettext).
messages: $(INSTALLED)
	$(MANAGE) compilemessages --ignore ".venv/*"

# After a label of liaison/parcours/handout.py changes: refresh every catalogue's msgids.
translations: $(INSTALLED)
	$(MANAGE) makemessages --all --no-location --ignore ".venv/*" --ignore "build/*" \
		--ignore "staticfiles/*" --ignore "templates/simple_history/*"

run: messages
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo --if-empty
	$(MANAGE) runserver 127.0.0.1:8000

test: messages
	$(BIN)/pytest

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

# A complete, dated dump in backups/ (and a pg_dump archive on PostgreSQL).
backup: $(INSTALLED)
	$(MANAGE) backup_directory --output backups

# Restore a backup into an empty database: make restore FILE=backups/repertoire-….json
restore: $(INSTALLED)
	@test -n "$(FILE)" || { echo "Indiquez le fichier : make restore FILE=backups/…"; exit 2; }
	$(MANAGE) restore_directory "$(FILE)"

# Re-pin every dependency after a change to pyproject.toml.
lock: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) staticfiles
	find locale -name '*.mo' -delete
