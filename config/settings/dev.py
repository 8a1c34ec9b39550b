"""The demo and local development: a throwaway key, SQLite unless DATABASE_URL says.

DEBUG stays off unless DEBUG=true, so the demo shows readers' 404 and 500 pages; static files
come straight from the apps (WhiteNoise's finders) and uploads from MEDIA_ROOT, with no
collectstatic and no web server in front.
"""

import os

os.environ.setdefault("SECRET_KEY", "newscast-dev-only-key-never-use-in-production")

from config.env import env
from config.settings.base import *  # noqa: F403

DEBUG = env.bool("DEBUG", default=False)
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
NEWSCAST_SERVE_MEDIA = True
# The demo polls its own sample wire feeds on loopback (WAGTAILADMIN_BASE_URL).
NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS = env.list(
    "FETCH_ALLOWED_PRIVATE_HOSTS", default=["127.0.0.1", "localhost"]
)
