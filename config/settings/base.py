"""Settings shared by every environment. Environment-specific modules import * from here.

The embedded default (no DATABASE_URL, no REDIS_URL) is SQLite, a local-memory cache and the
in-process channel layer; with DATABASE_URL and REDIS_URL set, the same code runs on PostgreSQL,
Redis and Celery workers.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-development-key-change-me")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",  # first, so runserver serves ASGI (websockets) too
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "template_partials",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.bank",
    "apps.audit",
    "apps.play",
    "apps.quiz",
    "apps.matches",
    "apps.live",
    "apps.skills",
    "apps.curation",
    "apps.packs",
    "apps.insights",
    "apps.cohorts",
    "apps.lti",
]

MIDDLEWARE = [
    "apps.core.clientip.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "apps.core.clock.ServerTimeMiddleware",
    # Last, so it sees the view's exceptions first: an outage becomes 503 + Retry-After.
    "apps.core.errors.OutageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.accounts.context_processors.roles",
            ],
            # `inline_md` renders a choice's Markdown everywhere a choice is shown.
            "builtins": ["apps.bank.templatetags.bank_markdown",
                         "apps.core.templatetags.server_clock",
                         "apps.play.templatetags.play_tiles"],
        },
    }
]

# --- Serving -------------------------------------------------------------------------------
# HTTP is served by gunicorn (WSGI, gthread workers: config/gunicorn.py) and websockets by daphne,
# behind one proxy (docker-compose.yml, deploy/nginx.conf); README "Capacity" has the figures that
# decided it. WEB_CONCURRENCY: worker processes (default: one per CPU); WEB_THREADS per process.
WEB_CONCURRENCY = env_int("WEB_CONCURRENCY", os.cpu_count() or 1, minimum=1)
WEB_THREADS = env_int("WEB_THREADS", 8, minimum=1)

# --- Database --------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    # Celery workers keep their connection between tasks (DB_CONN_MAX_AGE=60 in compose: a new
    # PostgreSQL backend per task cost more than many tasks). Web processes under ASGI use the
    # pool instead, as Django advises, or none.
    DATABASES = {"default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DB_POOL", False
    ):
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool refuses persistent connections
        # Django's native psycopg 3 pool, for web processes only: Celery's prefork workers fork
        # after import and a pool shared across forks hands the same socket to two processes.
        # The worker and beat run with DB_POOL=false.
        # One connection per thread that can hold one (gunicorn's WEB_THREADS, or daphne's
        # executor) plus two to spare. A request that cannot get one within DB_POOL_TIMEOUT
        # seconds is answered 503 with Retry-After (apps.core.overload), not a 500 after 10 s.
        DATABASES["default"]["OPTIONS"] = {"pool": {
            "min_size": 2, "max_size": env_int("DB_POOL_MAX", WEB_THREADS + 2, minimum=1),
            "timeout": env_float("DB_POOL_TIMEOUT", 2.0, minimum=0.1)}}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # A database host that does not answer fails the connection in this many seconds
        # (libpq waits forever by default); a refused connection fails at once anyway.
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
            "DB_CONNECT_TIMEOUT", 2, minimum=1)
else:
    DATABASES = {
        "default": {
            "ENGINE": "apps.core.sqlite",  # Django's SQLite backend, writers queued in-process
            "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            # SQLite takes a write lock at BEGIN IMMEDIATE, so concurrent answers queue instead
            # of failing with "database is locked" half way through a transaction. WAL lets
            # readers (every push renders a player's state) run beside the one writer, and with
            # synchronous=NORMAL a commit no longer waits for an fsync: a power cut may lose the
            # last commits but never corrupts the file (bench/match_latency.py, closing note).
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20,
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
            # Threads keep their connection (opening one and registering Django's functions
            # cost ~7 % of the server's time under load).
            "CONN_MAX_AGE": env_int("SQLITE_CONN_MAX_AGE", 60, minimum=0),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, channel layer, Celery broker -------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    # While Redis is down the cache degrades to misses (apps.core.cache) instead of failing
    # every request that reads it; short timeouts so that degrading is quick.
    CACHES = {"default": {"BACKEND": "apps.core.cache.DegradingRedisCache",
                          "LOCATION": REDIS_URL, "KEY_PREFIX": env_str("CACHE_PREFIX", "asc"),
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}}
    # Pushes go through Redis pub/sub (channels-redis's RedisPubSubChannelLayer): one PUBLISH
    # per push, delivered at once to every web process's single subscription. The list-based
    # RedisChannelLayer pops one message per round trip behind a lock shared by all the sockets
    # of a process, and with 100 matches a push waited up to a second there
    # (bench/match_latency.py). Pub/sub keeps nothing for a socket that is not connected; that
    # is what the design expects anyway: a client that reconnects or sees a gap re-fetches the
    # whole state. CHANNEL_LAYER=list selects the other layer.
    # redis-py 8 reads with a 5 s socket timeout by default, the same length as the list
    # layer's blocking receive (BZPOPMIN, 5 s): the two race and idle websockets die with
    # "Timeout reading". A longer socket timeout lets the blocking receive return first.
    _LAYER = env_str("CHANNEL_LAYER", "pubsub")
    if _LAYER not in {"pubsub", "list"}:
        raise ImproperlyConfigured("CHANNEL_LAYER must be 'pubsub' or 'list'.")
    CHANNEL_LAYERS = {"default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer" if _LAYER == "pubsub"
        else "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                   "prefix": env_str("CHANNELS_PREFIX", "asgi")}}}
    CELERY_BROKER_URL = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = ""
# Without a broker there is no worker: tasks run in-process after commit (see apps.core.tasks).
CELERY_ENABLED = bool(CELERY_BROKER_URL)
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Survive a broker restart (issue 18; see also config/celery.py): reconnect forever, also at
# start-up (the default gives up after 100 tries, and start-up retries are going away), with
# connect and read timeouts so that a broker that is unreachable (not just refusing) is noticed.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Unacknowledged messages come back after an hour; stranded must-happen work does not wait for
# that (apps.core.outbox re-sends it in OUTBOX_RESEND_SECONDS), nor do rounds (the sweeps).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2,
                                   "socket_timeout": 10, "socket_keepalive": True,
                                   "health_check_interval": 10}
# Dispatch happens after commit and is recovered by the outbox and the sweeps: fail fast rather
# than hold a request for seconds while the broker is down.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0,
                                    "interval_step": 0.2, "interval_max": 0.2}
# Web processes run these sweeps too (apps.core.sweeper), one process at a time, every this many
# seconds (0: off), so rounds close and skill updates recover while the worker is down (the
# outbox only then: apps.core.outbox.outbox_resend_without_worker).
WEB_SWEEP_SECONDS = env_float("WEB_SWEEP_SECONDS", 2.0, minimum=0.0)
WEB_SWEEP_TASKS = ["matches.sweep", "live.sweep", "core.outbox_resend_without_worker"]
# /healthz: a worker heartbeat older than this is "degraded"; never seen, after the grace.
WORKER_STALE_SECONDS = env_float("WORKER_STALE_SECONDS", 60.0, minimum=5.0)
WORKER_STARTUP_GRACE_SECONDS = env_float("WORKER_STARTUP_GRACE_SECONDS", 120.0, minimum=0.0)
CELERY_TASK_IGNORE_RESULT = True
# An outbox message not delivered this many seconds after its commit is re-sent (then with
# exponential backoff): apps.core.outbox.
OUTBOX_RESEND_SECONDS = env_float("OUTBOX_RESEND_SECONDS", 30.0, minimum=1.0)
CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "core.heartbeat", "schedule": env_float(
        "WORKER_HEARTBEAT_SECONDS", 15.0, minimum=1.0)},
    # Must-happen work (skill updates) whose dispatch was lost or whose task failed or was
    # stranded by a dead worker: apps.core.outbox.
    "outbox-resend": {"task": "core.outbox_resend", "schedule": 10.0},
    # Closes overdue rounds and opens due ones when a countdown task was lost or is late.
    "match-sweep": {"task": "matches.sweep", "schedule": 2.0},
    # The same for live games' questions.
    "live-sweep": {"task": "live.sweep", "schedule": 2.0},
    # Uploads never applied hold whole files: keep them a day.
    "purge-import-drafts": {"task": "packs.purge_drafts", "schedule": 3600.0},
    # Expired API tokens (a request only checks its own token's expiry).
    "purge-expired-tokens": {"task": "accounts.purge_tokens", "schedule": 3600.0},
    # Percentile tables and topic aggregates of the skill pages
    # (apps.skills.selectors.STATS_REFRESH_SECONDS).
    "skills-refresh-stats": {"task": "skills.refresh_stats", "schedule": 300.0},
}

# --- Auth --------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Forwarded headers are believed only from these proxies (addresses or networks, comma
# separated): apps/core/clientip.py. Empty: REMOTE_ADDR, the TCP peer, is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or network.")

# Creation limits (apps/core/ratelimit.py): "count/seconds" per signed-in user, else per client
# address; RATE_LIMIT_<NAME> overrides one ("0/60" disables it).
_RATE_DEFAULTS = {
    "quiz_start": "30/300",  # quizzes, retries and reviews started
    "match_create": "30/300",  # bot matches, challenges, queue joins
    "match_resync": "20/10",  # websocket resync requests per player
    "report_create": "30/3600",
    "cohort_create": "20/3600",
    "cohort_join": "30/3600",
    "import_upload": "60/3600",
    "signup": "10/3600",  # per address
    "token_create": "30/3600",
    "live_create": "20/3600",  # live games hosted
    # Per address: a whole classroom often shares one (a school's NAT), so joins are generous;
    # wrong PINs are few enough that guessing one of 900,000 PINs is not practical, and enough
    # that a room's typos rarely lock it out (a locked address waits at most 5 minutes).
    "live_join": "600/300",
    "live_pin_miss": "10/300",
    "live_resync": "20/10",  # live-game websocket resync requests per seat (or host)
    "live_ticket": "1200/300",  # websocket tickets, per address (a room shares one)
    # Answers per seat, whichever way they come (page, API, websocket): one per question is
    # the game; this bounds a client that retries in a loop.
    "live_answer": "30/60",
    # LTI logins and launches per address (a classroom behind one NAT launches together).
    "lti_launch": "600/300",
    "lti_roster": "20/3600",  # roster pulls from an LMS (NRPS), per instructor
}
RATE_LIMITS = {name: env_str(f"RATE_LIMIT_{name.upper()}", rate)
               for name, rate in _RATE_DEFAULTS.items()}
for _name, _rate in RATE_LIMITS.items():
    _count, _, _seconds = _rate.partition("/")
    if not (_count.isdigit() and _seconds.isdigit() and int(_seconds) > 0):
        raise ImproperlyConfigured(f"RATE_LIMIT_{_name.upper()} must look like 30/300 "
                                   f"(requests/seconds), got {_rate!r}.")
# At most one matchmaking wave per this many seconds (per cache), however often players poll.
QUEUE_WAVE_INTERVAL = env_float("QUEUE_WAVE_INTERVAL", 1.0, minimum=0.0)

# Every password check passes through this backend's lock-out (apps/accounts/backends.py).
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
# Failed sign-ins allowed per account and per client address before a cool-down.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900, minimum=1)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "token": env_str("THROTTLE_TOKEN_RATE", "10/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
REST_KNOX = {
    "TOKEN_TTL": __import__("datetime").timedelta(hours=env_int("API_TOKEN_TTL_HOURS", 24 * 7,
                                                                minimum=1)),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Supply-Chain Security Arena API",
    "DESCRIPTION": "Speed quizzes, head-to-head matches and the question bank. Answer keys are "
                   "only ever returned for questions that are closed for the caller.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Content-Security-Policy (django-csp 4) -------------------------------------------------------
# No inline scripts anywhere: page behaviour lives in static/js and htmx attributes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Swagger UI sets inline style attributes; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Play timings (seconds); settings so tests can run them in fractions of a second ---------------
# Multiplies every play duration (quiz timers, match rounds, pauses); tests run at a fraction.
PLAY_TIME_SCALE = env_float("PLAY_TIME_SCALE", 1.0, minimum=0.001)
QUIZ_DEFAULT_QUESTIONS = env_int("QUIZ_DEFAULT_QUESTIONS", 10, minimum=1)
QUIZ_DEFAULT_SECONDS = env_int("QUIZ_DEFAULT_SECONDS", 20, minimum=1)
QUIZ_GRACE_SECONDS = env_float("QUIZ_GRACE_SECONDS", 1.0)
MATCH_ROUNDS = env_int("MATCH_ROUNDS", 7, minimum=1)
# Live class games: players per game, games a host may run at once.
LIVE_MAX_PLAYERS = env_int("LIVE_MAX_PLAYERS", 500, minimum=2)
LIVE_MAX_GAMES_PER_HOST = env_int("LIVE_MAX_GAMES_PER_HOST", 3, minimum=1)
MATCH_ROUND_SECONDS = env_float("MATCH_ROUND_SECONDS", 15.0)
MATCH_PAUSE_SECONDS = env_float("MATCH_PAUSE_SECONDS", 4.0)
MATCH_CLAIM_AFTER_SECONDS = env_float("MATCH_CLAIM_AFTER_SECONDS", 30.0)
MATCH_QUEUE_BOT_OFFER_SECONDS = env_float("MATCH_QUEUE_BOT_OFFER_SECONDS", 20.0)
EXTENDED_TIME_FACTORS = (1.0, 1.5, 2.0)

# --- Question bank ---------------------------------------------------------------------------------
BANK_DIR = BASE_DIR / "questions"
# checkbank: a question whose `checked` month is older than this is listed as stale.
BANK_CHECK_MAX_AGE_MONTHS = env_int("BANK_CHECK_MAX_AGE_MONTHS", 12, minimum=1)
# checkbank --strict by default: enforce the answer-cue bands, semantic duplicates, stale facts
# and superseded citations (apps.bank.lint). Off until the second edition of the bank is merged.
BANK_LINT_STRICT = env_bool("BANK_LINT_STRICT", False)
# checkbank --require-checked by default: every question records `checked`.
BANK_REQUIRE_CHECKED = env_bool("BANK_REQUIRE_CHECKED", False)

# --- Question packs (apps.packs) -------------------------------------------------------------------
# Uploads larger than this are refused before they are parsed.
PACK_IMPORT_MAX_BYTES = env_int("PACK_IMPORT_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
PACK_PREVIEW_MAX_ERRORS = env_int("PACK_PREVIEW_MAX_ERRORS", 100, minimum=1)
PACK_DRAFT_KEEP_HOURS = env_int("PACK_DRAFT_KEEP_HOURS", 24, minimum=1)
# The site's Ed25519 signing key: base64 of the 32 raw private bytes. Empty: packs cannot be
# exported signed (exportpack refuses). Checked when used, so a bad value fails loudly there.
PACK_SIGNING_KEY = env_str("PACK_SIGNING_KEY", "")
# Base64 raw 32-byte Ed25519 public keys whose packs this site trusts (comma-separated).
PACK_TRUSTED_KEYS = env_list("PACK_TRUSTED_KEYS", [])
# Item analysis: a question needs this many first attempts before discrimination is judged.
INSIGHTS_MIN_ANSWERS = env_int("INSIGHTS_MIN_ANSWERS", 30, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- LTI 1.3 tool (apps.lti) -------------------------------------------------------------------------
# The tool's RSA private key (PEM) signs deep-linking responses and service-token requests; its
# public half is published at /lti/jwks/. Give the PEM itself (LTI_PRIVATE_KEY) or a file
# (LTI_PRIVATE_KEY_FILE; `manage.py lti genkey` writes one). To rotate without downtime, move
# the old key to LTI_PREVIOUS_KEY(_FILE): the JWKS keeps publishing it, so platforms that cached
# the old key set still verify what was signed before the switch. Unset: LTI is off (503).
LTI_PRIVATE_KEY = env_str("LTI_PRIVATE_KEY", "")
LTI_PRIVATE_KEY_FILE = env_str("LTI_PRIVATE_KEY_FILE", "")
LTI_PREVIOUS_KEY = env_str("LTI_PREVIOUS_KEY", "")
LTI_PREVIOUS_KEY_FILE = env_str("LTI_PREVIOUS_KEY_FILE", "")
# Outbound calls to a platform (key sets, tokens, scores, rosters) give up after this long.
LTI_HTTP_TIMEOUT_SECONDS = env_float("LTI_HTTP_TIMEOUT_SECONDS", 10.0, minimum=0.5)
