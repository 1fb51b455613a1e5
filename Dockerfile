# The platform's image: web (gunicorn, HTTP), ws (daphne, websockets), Celery worker and beat.
# Pinned by digest: python:3.11-slim-bookworm (Python 3.11.16) as docker-library/repo-info
# recorded it at commit 33a22f41ac7bf613bc03380b0317536a9a7fb5e8.
FROM python:3.11-slim-bookworm@sha256:0bee7276f83efd4a1ee05bbbf4281d95ed28e079220a9457f25a93e3f1e3c31b

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
RUN useradd --create-home --uid 10001 arena

# Hash-pinned dependencies only; a changed or unpinned package fails the build.
COPY requirements-pip.txt requirements.txt ./
RUN python -m pip install --require-hashes -r requirements-pip.txt \
 && pip install --require-hashes -r requirements.txt

COPY --chown=arena:arena . .
# collectstatic needs settings but no database or secrets of the real deployment.
RUN DJANGO_SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_hex(32))") \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --noinput

USER arena
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]
