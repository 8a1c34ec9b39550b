"""Production: everything secret or machine-specific must come from the environment.

SECRET_KEY has no default (base.py), so the site refuses to start without it. Served behind
nginx (deploy/), which terminates TLS or sits behind the load balancer that does.
"""

from config.env import env
from config.settings.base import *  # noqa: F403

DEBUG = False

# HTTPS everywhere. HTTPS_ONLY=false is for the loopback stack (`newscast stack`), which has no
# certificate; a real deployment leaves it on and `newscast check --deploy` stays clean.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's preview panel frames our own pages
SESSION_COOKIE_HTTPONLY = True
SILENCED_SYSTEM_CHECKS = [
    # Wagtail's live preview frames our own pages, so SAMEORIGIN rather than DENY.
    "security.W019",
    # Joining the browsers' HSTS preload list binds every subdomain for months: the station
    # opts in with SECURE_HSTS_PRELOAD=true once all of them serve HTTPS.
    "security.W021",
]

# The reader-facing policy is enforced here (base.py only reports it).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": CONTENT_SECURITY_POLICY_DIRECTIVES}  # noqa: F405
CONTENT_SECURITY_POLICY_REPORT_ONLY = None

# Keep database connections between requests, and test them before reuse so a restarted
# PostgreSQL costs one reconnect instead of an error page (bench/drills/postgres_restart.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Sessions in the database: every web process sees every editor's session.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# One JSON object a log line, for the log shipper.
LOGGING["handlers"]["console"]["formatter"] = env.str("LOG_FORMAT", default="json")  # noqa: F405
