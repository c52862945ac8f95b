# Single-container literal_app: embedded mode by default (SQLite + files under /data), port 3000.
# Scaled mode: pass DATABASE_URL=postgresql+psycopg://... and REDIS_URL=redis://..., and run
# `python worker.py` from the same image for background jobs.
FROM python:3.11-slim

RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm curl unzip git \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
COPY scripts ./scripts
COPY sdk ./sdk
RUN PYTHON=python3 ./scripts/install
COPY . .

ENV LITERAL_DATA_DIR=/data PORT=3000
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK CMD curl -fsS http://localhost:3000/api/health || exit 1
CMD ["./scripts/run"]
