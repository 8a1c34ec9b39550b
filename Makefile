# Newscast: `make demo` serves the demo station, `make test` runs every check and test.
# Both set themselves up on a fresh clone: a virtualenv in .venv, the package and its
# test tools, and (for the browser tests) Debian's chromium.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000

.PHONY: demo test lint checks pytest browser stack clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newscast demo --port $(PORT)

test: $(STAMP) browser lint checks pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

checks: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/newscast check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/newscast makemigrations --check --dry-run

pytest: $(STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

# Browser tests drive Debian's chromium (Playwright never downloads its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

clean:
	rm -rf $(VENV) data/*.sqlite3* data/media data/static
