"""Production: every secret and URL must come from the environment; nothing embedded.

Settings that `check --deploy` would only warn about are refused at start-up, one clear message
each. The one way to serve plain HTTP is DJANGO_INSECURE_LOCAL_HTTP=true (docker-compose on a
laptop), and it is refused unless every allowed host is local.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False

# --- the secret key ---------------------------------------------------------------------------
PLACEHOLDER_WORDS = ("insecure", "changeme", "change-me", "secret", "example", "validation",
                     "django", "password", "xxxx")
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be a random string of 50+ characters.")
if len(set(SECRET_KEY)) < 20:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY repeats too few characters to be random: "
                               "generate one (python3 -c \"import secrets; "
                               "print(secrets.token_urlsafe(60))\").")
if any(word in SECRET_KEY.lower() for word in PLACEHOLDER_WORDS):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY looks like a placeholder: generate a random "
                               "one.")

# --- hosts and services -----------------------------------------------------------------------
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS for production.")
if any(host == "*" or host.startswith("*") for host in ALLOWED_HOSTS):
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the site's hosts; a wildcard "
                               "lets any Host header in (password-reset links can be poisoned).")
if not DATABASE_URL or not REDIS_URL:  # noqa: F405
    raise ImproperlyConfigured("Production needs DATABASE_URL and REDIS_URL.")

# WhiteNoise serves the collected, hashed static files right after the security middleware.
_after = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1  # noqa: F405
MIDDLEWARE = [*MIDDLEWARE[:_after], "whitenoise.middleware.WhiteNoiseMiddleware",  # noqa: F405
              *MIDDLEWARE[_after:]]  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- HTTPS ------------------------------------------------------------------------------------
# Believed only from TRUSTED_PROXIES: apps.core.clientip drops the header from anyone else.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
ONE_YEAR = 31_536_000
INSECURE_LOCAL_HTTP = env_bool("DJANGO_INSECURE_LOCAL_HTTP", False)
if INSECURE_LOCAL_HTTP:
    remote = sorted(set(ALLOWED_HOSTS) - LOCAL_HOSTS)
    if remote:
        raise ImproperlyConfigured(
            "DJANGO_INSECURE_LOCAL_HTTP=true serves plain HTTP and is only for localhost; "
            f"DJANGO_ALLOWED_HOSTS also names {', '.join(remote)}. Put a TLS proxy in front "
            "and unset it.")
    SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0  # never pin HSTS on localhost
    SESSION_COOKIE_SECURE = False
else:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        raise ImproperlyConfigured("DJANGO_SECURE_SSL_REDIRECT=false serves pages over plain "
                                   "HTTP; only DJANGO_INSECURE_LOCAL_HTTP=true (localhost) may.")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", ONE_YEAR, minimum=0)
    if SECURE_HSTS_SECONDS < ONE_YEAR:
        raise ImproperlyConfigured(f"DJANGO_HSTS_SECONDS must be at least {ONE_YEAR} (a year), "
                                   f"got {SECURE_HSTS_SECONDS}.")
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    if not SESSION_COOKIE_SECURE:
        raise ImproperlyConfigured("DJANGO_SECURE_COOKIES=false sends session and CSRF cookies "
                                   "over plain HTTP; only DJANGO_INSECURE_LOCAL_HTTP=true "
                                   "(localhost) may.")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
