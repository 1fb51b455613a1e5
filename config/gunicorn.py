"""gunicorn's settings for the platform's HTTP (websockets go to daphne: docker-compose.yml).

    gunicorn -c config/gunicorn.py config.wsgi:application

gthread workers: each request runs on a thread of a worker process, with no event loop between
the server and Django's synchronous views. WEB_CONCURRENCY processes (default: one per CPU) and
WEB_THREADS threads each; the database pool of each process is sized from WEB_THREADS
(config/settings/base.py).
"""

import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 8)
backlog = 2048
timeout = 30  # a worker silent this long is restarted
graceful_timeout = 20
keepalive = 5
max_requests = 20_000  # recycle workers now and then, staggered by the jitter
max_requests_jitter = 2_000
accesslog = "-" if os.environ.get("WEB_ACCESS_LOG") == "true" else None
# REMOTE_ADDR is the TCP peer; forwarded headers are judged by apps.core.clientip against
# TRUSTED_PROXIES, never by gunicorn.
forwarded_allow_ips = ""
