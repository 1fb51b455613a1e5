# The platform's image: web (daphne, HTTP + websockets), Celery worker and beat share it.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
RUN useradd --create-home --uid 10001 arena

# Hash-pinned dependencies only; a changed or unpinned package fails the build.
COPY requirements.txt .
RUN pip install --require-hashes -r requirements.txt

COPY --chown=arena:arena . .
# collectstatic needs settings but no database or secrets of the real deployment.
RUN DJANGO_SECRET_KEY=build-only-$(python -c "import secrets; print(secrets.token_hex(32))") \
    DJANGO_ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --noinput

USER arena
EXPOSE 8000
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "config.asgi:application"]
