# syntax=docker/dockerfile:1
# Web stage: build the dashboard's islands with the locked npm packages.
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web ./
RUN npm run build

# Build stage: install the locked dependencies and the app into a virtual environment.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/waqai
COPY requirements.lock ./
RUN /opt/waqai/bin/pip install -r requirements.lock

# Runtime stage: just the environment, the migrations and an unprivileged user.
FROM python:3.11-slim-bookworm
# The app runs from /srv/waqai (not site-packages) so that it finds alembic.ini and migrations/.
ENV PATH=/opt/waqai/bin:$PATH PYTHONPATH=/srv/waqai PYTHONUNBUFFERED=1 WAQAI_LOAD_DEMO=false
RUN useradd --system --uid 10001 --home-dir /srv/waqai --create-home waqai
COPY --from=build /opt/waqai /opt/waqai
WORKDIR /srv/waqai
COPY alembic.ini ./
COPY migrations ./migrations
COPY app ./app
COPY --from=web /src/app/dashboard/static/dist ./app/dashboard/static/dist
USER waqai
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
# Migrate, then serve with several workers (they are stateless).
CMD ["sh", "-c", "python -m app.cli db upgrade && exec uvicorn app.main:create_app --factory --host 0.0.0.0 --port 8000 --workers ${WAQAI_WORKERS:-2} --no-access-log"]
