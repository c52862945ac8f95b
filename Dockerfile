# Single-container literal_app: embedded mode by default (SQLite + files under /data), port 3000.
# Scaled mode: pass DATABASE_URL=postgresql+psycopg://... and REDIS_URL=redis://..., and run
# `python worker.py` from the same image for background jobs.
#
# BASE_IMAGE: any Debian bookworm image; the official Python slim image by default. A plain Debian
# base (no Python) works too: Python 3.11 then comes from Debian. scripts/container-smoke builds
# on a local Debian base made with debootstrap (DESIGN.md §5) and checks the image end to end.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

# Behind a TLS-intercepting proxy, pass its CA bundle for the build only (scripts/container-smoke
# mounts the host's bundle and sets these); nothing of it stays in the image.
ARG PIP_CERT
ARG NODE_EXTRA_CA_CERTS
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm curl unzip ca-certificates \
    && (python3 -c "import ensurepip, venv" >/dev/null 2>&1 \
        || apt-get install -y --no-install-recommends python3 python3-venv) \
    && rm -rf /var/lib/apt/lists/* /root/.npm

WORKDIR /app
COPY requirements.txt ./
COPY scripts ./scripts
COPY sdk ./sdk
RUN PYTHON=python3 ./scripts/install && rm -rf /root/.cache /root/.npm
COPY . .

# Build the frontend bundle now (the server reuses it while nothing it depends on changes), so a
# container starts in seconds instead of compiling the pages first.
ENV LITERAL_DATA_DIR=/data PORT=3000
RUN ./scripts/prebuild-frontend && rm -rf /root/.cache /root/.npm /root/.bun/install/cache

VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK CMD curl -fsS http://localhost:3000/api/health || exit 1
CMD ["./scripts/run"]
