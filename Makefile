# Newscast: `make demo` serves the demo station, `make test` runs every check and test.
# Both set themselves up on a fresh clone: a virtualenv in .venv, the package and its
# test tools, and Debian's chromium (browser tests) and nginx (its configuration is tested).
# `make stack` serves the production topology (nginx, gunicorn, worker, PostgreSQL, Redis).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
# hls.js plays HLS video in browsers without native HLS (docs/decisions/news-video-library.md).
# npm fetches the pinned release and checks it against the registry's integrity hash; the
# built file (~620 KB, loaded only on pages with HLS video) is not committed. Its source map
# comes too: collectstatic's manifest storage refuses a script whose sourceMappingURL is missing.
HLS_JS_VERSION := 1.7.4
HLS_JS := newscast/static/vendor/hls.js/hls.min.js

.PHONY: demo test test-clock lint checks pytest system-packages bench-tools stack clean vendor

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

vendor: $(HLS_JS)

$(HLS_JS): Makefile
	@tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent hls.js@$(HLS_JS_VERSION) >/dev/null \
	  && tar -xzf hls.js-$(HLS_JS_VERSION).tgz package/dist/hls.min.js \
	     package/dist/hls.min.js.map package/LICENSE \
	  && cd - >/dev/null && mkdir -p $(@D) \
	  && cp $$tmp/package/dist/hls.min.js $$tmp/package/dist/hls.min.js.map $(@D)/ \
	  && cp $$tmp/package/LICENSE $(@D)/LICENSE \
	  && touch $@ \
	  && rm -rf $$tmp && echo "Vendored hls.js $(HLS_JS_VERSION) into $(@D)"

demo: $(STAMP) $(HLS_JS)
	$(BIN)/newscast demo --port $(PORT)

test: $(STAMP) $(HLS_JS) system-packages lint checks pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

checks: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/newscast check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/newscast makemigrations --check --dry-run

# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto
pytest: $(STAMP) $(HLS_JS)
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The clock-sensitive tests (marker `clock`, see conftest.py) again with the clock started at
# three hours of the day: 03:30 UTC is the evening before in Tupelo (the station's date and
# UTC's differ), 12:00 UTC its morning, and at 22:30 UTC the server runs in another time zone
# (Asia/Kolkata, already the next day), so nothing may take the server's zone for the station's.
# CI runs it.
CLOCK_RUNS ?= 2026-11-28T03:30:00+00:00,America/Chicago 2026-11-28T12:00:00+00:00,America/Chicago \
	2026-11-28T22:30:00+00:00,Asia/Kolkata
test-clock: $(STAMP) $(HLS_JS)
	@for run in $(CLOCK_RUNS); do \
	  at=$${run%%,*}; zone=$${run#*,}; \
	  echo "== clock-sensitive tests at $$at, server TIME_ZONE $$zone"; \
	  TIME_ZONE=$$zone NEWSCAST_TEST_CLOCK=$$at $(BIN)/pytest -q -n $(PYTEST_WORKERS) -m "clock and not browser" \
	    $(PYTEST_ARGS) || exit 1; \
	done

# Debian packages the tests use: chromium for the browser tests (Playwright never downloads
# its own browser here) and nginx, whose configuration in deploy/ is checked with `nginx -t`,
# with its cache-purge module (news pages are purged from nginx's cache when they change).
system-packages:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	[ -e /usr/lib/nginx/modules/ngx_http_cache_purge_module.so ] \
	  || missing="$$missing libnginx-mod-http-cache-purge"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# wrk measures the pages in bench/serve.py and bench/pages.py.
bench-tools: system-packages
	@command -v wrk >/dev/null 2>&1 && command -v valgrind >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk valgrind >/dev/null; }

stack: $(STAMP) $(HLS_JS) system-packages
	$(BIN)/newscast stack

clean:
	rm -rf $(VENV) data/*.sqlite3* data/media data/static newscast/static/vendor
