# The image for the web and worker services (see docker-compose.yml).
# Build stage: compile and install the pinned dependencies into a virtual environment.
FROM python:3.13-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN python -m venv /venv
COPY pyproject.toml requirements.lock README.md ./
COPY enfuse enfuse
COPY articles articles
COPY studio studio
RUN /venv/bin/pip install -c requirements.lock .

# Final stage: no compilers, a non-root user, static files collected at build time.
FROM python:3.13-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=enfuse.settings.production \
    DJANGO_MEDIA_ROOT=/app/media
RUN useradd --system --uid 1000 --create-home enfuse
WORKDIR /app
COPY --from=build /venv /venv
# The code belongs to root: the app can read it, not change it. Only media/ is its own.
COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghijklmnop \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input --verbosity 0 \
    && mkdir -p /app/media && chown -R enfuse:enfuse /app/media
USER enfuse
EXPOSE 8000
# gunicorn reads its number of workers from WEB_CONCURRENCY (docker-compose.yml sets it), and
# gunicorn.conf.py from /app; --preload: see docker-compose.yml.
ENV WEB_CONCURRENCY=2
CMD ["gunicorn", "enfuse.wsgi", "--bind", "0.0.0.0:8000", "--preload", "--access-logfile", "-"]
