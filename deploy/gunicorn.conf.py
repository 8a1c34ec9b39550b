"""gunicorn settings for the web process (`gunicorn -c deploy/gunicorn.conf.py config.wsgi`).

Values come from the environment so the Procfile, `newscast stack` and a server share them.
"""

import gc
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
# Rendering is CPU-bound Python: one sync worker per core, more machines to scale out.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# Recycle a worker now and then so slow leaks in any library cannot grow memory without end.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Load Django once in the master: workers start fast and share memory pages.
preload_app = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "request": "%(r)s", "status": %(s)s, '
    '"bytes": "%(B)s", "duration_us": %(D)s, "forwarded_for": "%({x-forwarded-for}i)s"}'
)
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Several gunicorns may share a machine (the scale-out drill); none uses the control socket,
# whose default path is one per user.
control_socket_disable = True


def when_ready(server):
    """Render each kind of page once in the master, before the first fork: every worker, and
    every one that replaces a recycled worker, starts with compiled templates and warm imports
    instead of making its first reader wait for them (newscast/core/warmup.py)."""
    if not preload_app:
        return
    if os.environ.get("GUNICORN_WARM_UP", "true").lower() not in ("0", "false"):
        from newscast.core.warmup import warm_up

        done = warm_up()
        server.log.info("warm-up: %s", ", ".join(f"{w.path} {w.status}" for w in done) or "none")
    # What the master loaded lives as long as the site: out of the collector's sight, a
    # worker's full collections do not walk it, nor touch (and so copy) its shared pages.
    gc.freeze()


def child_exit(server, worker):
    """A worker's Prometheus figures go with it (multi-process mode, newscast/core/metrics.py)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
