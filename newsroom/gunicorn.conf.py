"""Gunicorn, the production server: `make serve` and `make loadtest` run it with this file.

Every value can be set from the environment (README: "Running in production").
"""

import os

# Behind a reverse proxy on the same host; set BIND=0.0.0.0:8000 to take traffic directly.
bind = os.environ.get("BIND", "127.0.0.1:8000")

# Sizing for a CPU-bound Django app, measured with `make loadtest` on 2 cores: one process per
# core, each with a few threads so that a worker waiting on PostgreSQL or Redis still serves.
workers = int(os.environ.get("WEB_CONCURRENCY", os.cpu_count() or 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Connections from the proxy are kept open between requests.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A request that takes longer is a bug: the worker is restarted rather than left stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Workers are not recycled by default: a worker's memory did not grow under the load test
# (feeds, once 315 MB to 1 GB a worker, now read only what they print), and at thousands of
# requests a second any request count would restart workers every few seconds. Set
# GUNICORN_MAX_REQUESTS to recycle (with jitter, not all at once).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# X-Forwarded-* are trusted from these addresses only (the proxy); Django reads the scheme from
# X-Forwarded-Proto only with BEHIND_PROXY=1.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Workers write nothing temporary to disk (a heartbeat file in memory instead).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
