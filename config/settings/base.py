"""Settings shared by every environment. Environment-specific files override a few lines."""

from config.env import BASE_DIR, DATA_DIR, env, frontend_cache_settings, redis_cache_settings

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "newscast.core",
    "newscast.home",
    "newscast.news",
    "newscast.wire",
    "newscast.datadesk",
    "newscast.weather",
    "newscast.closings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "huey.contrib.djhuey",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_prometheus",
    "axes",
    "csp",
]

# Order matters on the way out (bottom to top): cache headers are decided after every cookie
# and Vary is set, and ETags/304s after the cache headers (docs/production.md).
MIDDLEWARE = [
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Outside every middleware that sets a header: it marks news pages nginx may serve as
    # files, by a digest of their final headers (core/baking.py).
    "newscast.core.baking.BakeMarkMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses once per render for readers who accept gzip; nginx keeps that copy beside
    # the plain one (deploy/nginx.conf.template). Outside ConditionalGet: the ETag is the page's.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "newscast.core.cachecontrol.CacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newscast.core.security.StationCSPMiddleware",
    # Outside the routing and rendering below: their cache writes go in one round trip.
    "newscast.core.versioned_cache.VersionedWritesMiddleware",
    "newscast.core.middleware.StationTimeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Admin login throttling (django-axes): five wrong passwords for one user from one address
# lock that pair out for 15 minutes; attempts are kept in the database, shared by every web
# process. Behind nginx the reader's address is X-Real-IP, which nginx overwrites (a reader
# cannot forge it); without a proxy it is REMOTE_ADDR.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client address: X-Real-IP only from the proxies listed here (nginx on loopback).
AXES_CLIENT_IP_CALLABLE = "newscast.core.security.client_ip"
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])

# /metrics (newscast/core/metrics.py) is scraped from each web process directly, not via nginx.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# /healthz shows the public statuses only; staff, or a monitor sending this bearer token, see
# error texts, ages and timings too. Empty: staff only.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# Content-Security-Policy (django-csp). Enforced in production (production.py); reported only
# elsewhere so a desk's new inline script shows in the browser console before it ships.
CONTENT_SECURITY_POLICY_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    # Inline style attributes are common in CMS rich text and embeds; scripts stay strict.
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "https:"],
    "font-src": ["'self'", "data:"],
    # hls.js plays HLS through Media Source Extensions (a blob: address) and fetches the
    # playlist and segments itself, from the station's video host (docs/news.md, Video).
    "media-src": ["'self'", "https:", "blob:"],
    "frame-src": ["'self'", "https://www.youtube.com", "https://www.youtube-nocookie.com"],
    "connect-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Wagtail's admin still uses inline scripts and styles; it gets its own, looser policy.
CONTENT_SECURITY_POLICY_ADMIN_DIRECTIVES = {
    **CONTENT_SECURITY_POLICY_DIRECTIVES,
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "frame-src": ["'self'", "https:"],
}
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": CONTENT_SECURITY_POLICY_DIRECTIVES}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newscast" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# The embedded default is a SQLite file in the data folder; production sets DATABASE_URL.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'newscast.sqlite3'}")
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the jobs worker write while the web process reads; a writer waits up to 20 s
    # for another's transaction (a data load) instead of failing with "database is locked".
    sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    sqlite_options["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
    )
    # Take the write lock when a transaction starts: a read that later writes can otherwise
    # fail at once with "database is locked", whatever the busy timeout.
    sqlite_options["transaction_mode"] = "IMMEDIATE"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = redis_cache_settings(REDIS_URL)
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Room for the page fragments of a few hundred stories (each visited story adds ~4 keys).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

# Scheduled jobs: Huey with SQLite storage by default, Redis in production.
HUEY = {
    "name": "newscast",
    "immediate": False,
    # An idle worker looks at the queue at least every second (Huey's default backs off to
    # 10 s), so Wagtail's index updates catch up within seconds on SQLite's queue too; Redis
    # hands work over at once whatever this says.
    "consumer": {"workers": 2, "worker_type": "thread", "periodic": True, "max_delay": 1.0},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.PriorityRedisHuey", "url": REDIS_URL})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "huey.sqlite3")})

# Wagtail's background tasks (search and reference indexing) run in the Huey worker after the
# save commits, not inside it (newscast/core/task_backend.py).
TASKS = {"default": {"BACKEND": "newscast.core.task_backend.HueyTaskBackend"}}

# News pages are kept at the edge and purged when they change (newscast/core/edge.py), through
# Wagtail's frontend-cache backends. Its app is not installed: its own signal handlers would
# PURGE every published page, where ours refreshes the page in place (no reader waits).
# EDGE_PURGE_URLS lists every web machine's nginx purge listener; CLOUDFLARE_ZONEID with
# CLOUDFLARE_BEARER_TOKEN, or CLOUDFRONT_DISTRIBUTION_ID (with boto3), add a CDN.
WAGTAILFRONTENDCACHE = frontend_cache_settings(env)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# Stored times are UTC; pages show station time (the station setting, America/Chicago).
TIME_ZONE = env.str("TIME_ZONE", default="America/Chicago")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "newscast" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(DATA_DIR / "media"))

WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Newscast")
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "txt", "vtt", "json"]
# Documents are always served by Django's view, which applies collection privacy and sends
# Content-Disposition and "Content-Security-Policy: default-src 'none'"; /media/documents/ is
# closed (nginx and the demo server alike).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Identifies us to outside services (NWS asks for a contact address).
NEWSCAST_USER_AGENT = env.str(
    "NEWSCAST_USER_AGENT",
    default="Newscast/0.1 (+https://github.com/newscast; newsroom@example.com)",
)
# Hosts that URLs from editors or feeds may reach although they resolve inside the network
# (loopback, private, link-local...): comma list. Empty here and in production; dev allows the
# demo's own loopback address, whose sample feeds the demo polls (newscast.core.addresses).
NEWSCAST_FETCH_ALLOWED_PRIVATE_HOSTS = env.list("FETCH_ALLOWED_PRIVATE_HOSTS", default=[])
# The sample wire feeds (/wire/samples/...) are served only while `newscast demo` runs (it
# turns this on); production and `runserver` never route them.
NEWSCAST_WIRE_SAMPLES = False
# Dotted path of a resolver function (host, port) -> [addresses]; empty: the system's. Tests
# inject one to play a DNS-rebinding host.
NEWSCAST_FETCH_RESOLVER = ""

# LOG_FORMAT=json (the production default) writes one JSON object a line for log shippers.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,  # UTC, ISO 8601
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="plain"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # A handler of its own stops `run_huey` from adding a second one (lines printed twice).
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Wagtail's search and reference-index tasks log every run at INFO.
        "django_tasks": {"level": "WARNING"},
    },
}

# Each desk keeps its own settings beside this file.
from config.settings.desks import *  # noqa: E402,F403
