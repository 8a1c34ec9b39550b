"""The one place the environment is read (django-environ).

Every setting that varies between machines comes from here; production refuses to start
without the secrets it needs instead of inventing them.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
# Data folder for the embedded default: SQLite database, Huey queue, uploaded media.
DATA_DIR = Path(environ.Env().str("NEWSCAST_DATA_DIR", default=str(BASE_DIR / "data")))
# Huey's SQLite queue opens its file as soon as Django loads, so the folder must exist first.
DATA_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; a missing file is fine
