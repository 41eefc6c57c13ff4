"""gunicorn settings for eage (`make serve`, or `gunicorn -c deploy/gunicorn.conf.py wsgi:app`).

Every value can be overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS…) without
editing this file. The app writes its own line per request (eage/logs.py, with the user id);
gunicorn's access log is off unless GUNICORN_ACCESS_LOG names a file or "-"."""

import multiprocessing
import os

# Behind the reverse proxy, on the loopback only (docs/deploy.md).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers, the classic (2 x cores) + 1: a request is a few queries and a template; the
# long work (the month close, document batches) runs in `eage worker`, not in a web worker.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
threads = 1

# An export or a large allocation may take tens of seconds; a close never runs here.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5

# Recycle workers now and then (memory held by a large report); the jitter keeps them from
# restarting together. The job queue (JOB_RUNNER=rq) is what lets work survive this.
max_requests = 1000
max_requests_jitter = 100

# Trust X-Forwarded-* from the proxy on this machine only (see also PROXY_FIX in the app).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs on stderr, collected by systemd/journald.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# key=value like the app's lines; no client address, no query string, no user agent.
access_log_format = 'method=%(m)s path="%(U)s" status=%(s)s bytes=%(B)s duration_ms=%(M)s'

# Load the app once in the master (less memory, a broken configuration fails at start).
preload_app = True


def post_fork(server, worker):
    """preload_app: the database pool was opened by the master; each worker opens its own."""
    from eage.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        db.engine.dispose(close=False)
