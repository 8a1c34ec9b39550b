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


def frontend_cache_settings(env) -> dict:
    """WAGTAILFRONTENDCACHE from the environment: one nginx per EDGE_PURGE_URLS entry (each
    web machine's purge listener), and Cloudflare or CloudFront when their keys are set."""
    backends = {}
    for number, location in enumerate(env.list("EDGE_PURGE_URLS", default=[])):
        backends[f"nginx{number}"] = {
            "BACKEND": "newscast.core.edge.NginxPurgeBackend",
            "LOCATION": location,
        }
    if env.str("CLOUDFLARE_ZONEID", default=""):
        backends["cloudflare"] = {
            "BACKEND": "newscast.core.edge.CloudflareEverythingBackend",
            "BEARER_TOKEN": env.str("CLOUDFLARE_BEARER_TOKEN"),
            "ZONEID": env.str("CLOUDFLARE_ZONEID"),
        }
    if env.str("CLOUDFRONT_DISTRIBUTION_ID", default=""):
        backends["cloudfront"] = {
            "BACKEND": "newscast.core.edge.CloudFrontEverythingBackend",
            "DISTRIBUTION_ID": env.str("CLOUDFRONT_DISTRIBUTION_ID"),
        }
    return backends


def redis_cache_settings(url: str) -> dict:
    """CACHES for a Redis cache at `url`, as production runs it: an outage degrades to "no
    cache" (every read a miss, every write dropped), never to an error page."""
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "newscast",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
