"""The demo and local development: DEBUG on, a throwaway key, SQLite unless DATABASE_URL says."""

import os

os.environ.setdefault("SECRET_KEY", "newscast-dev-only-key-never-use-in-production")

from config.env import env  # noqa: E402
from config.settings.base import *  # noqa: E402,F403

DEBUG = env.bool("DEBUG", default=True)
# Dev pages are served by runserver; plain storage avoids needing collectstatic first.
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
