"""Tests: same as base, with a fixed key and nothing left running between tests."""

import os

os.environ.setdefault("SECRET_KEY", "newscast-test-key")

from config.settings.base import *  # noqa: F403

# Jobs run inline so a test can call a task and check its effect.
HUEY["immediate"] = True  # noqa: F405
# Wagtail's index updates run inside the save, so a test can search for what it just saved
# within its own transaction (whose commit never comes); the worker path has its own tests.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# No manifest needed: tests don't run collectstatic.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Browser tests load uploads (images, video captions) from the live server, as the demo does.
NEWSCAST_SERVE_MEDIA = True
# The wire tests poll the sample feeds as the demo does (their routes are the demo's only).
NEWSCAST_WIRE_SAMPLES = True
# Fast hashing: password strength is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One cache per test process; Redis-backed behaviour is tested against the real server.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages read versioned values through each process's memory, as production does in front of
# Redis (newscast/core/versioned_cache.py), so every page test runs through that layer too.
NEWSCAST_LOCAL_CACHE = True
# client.login() passes no request, which django-axes refuses; its lockout is tested with it on.
AXES_ENABLED = False
# The replay servers (pytest-httpserver) listen on loopback; the address-check tests empty this.
NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "localhost"]
# A test waiting on a PostgreSQL lock (a child process or thread of its own still holding one
# when the test's clean-up truncates the tables) fails within a minute, naming the lock, as
# SQLite's busy timeout (base.py) makes it fail there, instead of holding CI to its limit.
# Through libpq's environment, so the children the tests start (newscast commands, the
# stack's processes, pg_dump and pg_restore) wait no longer than the tests' own connections.
os.environ.setdefault("PGOPTIONS", "-c lock_timeout=60s")
