# CONECT: one image for the web server (gunicorn), the Celery worker and Celery beat.
# Build: docker build -t conect .   Run: see docker-compose.yml and the README.

# --- Front-end libraries (Bootstrap, Chart.js), installed from the lock file (not the
# test-only ones: axe-core checks accessibility in the browser tests) ------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- The application ------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=conect.settings.production

# gettext: compilemessages; pango: PDF documents (WeasyPrint); libmagic: upload checks.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libmagic1 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin conect \
    && mkdir -p /srv/conect/media /srv/conect/media-private \
    && chown conect:conect /srv/conect/media /srv/conect/media-private

WORKDIR /app

# The locked dependencies, every one checked against its hash.
COPY requirements.txt ./
RUN pip install --require-hashes --no-deps -r requirements.txt

COPY --from=assets /build/node_modules ./node_modules
COPY --chown=conect:conect . .

# Static files and compiled translations are part of the image. Production settings need
# their secrets even to collect static files; these build-time values are never used to
# serve anything.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret-000000000000000000000000000000000 \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://build@localhost:5432/build \
    REDIS_URL=redis://localhost:6379/0 \
    sh -c "python manage.py collectstatic --no-input -v 0 \
        && python manage.py compilemessages -v 0 --ignore=node_modules" \
    && chown -R conect:conect /app/staticfiles /app/locale

USER conect
EXPOSE 8000

# The same /health/ endpoint a load balancer calls: database, cache and broker.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; r = u.Request('http://127.0.0.1:8000/health/', headers={'Host': 'localhost'}); sys.exit(0 if u.urlopen(r, timeout=8).status == 200 else 1)"]

# gunicorn.conf.py: the port, the timeout, no access log, and which peer (the reverse
# proxy, FORWARDED_ALLOW_IPS) it believes about HTTPS. WEB_CONCURRENCY sets the number
# of worker processes.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "conect.wsgi:application"]
