# Sourced by scripts/*: the environment every command runs in.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/.venv/bin:$ROOT/.tools/node_modules/.bin:$PATH"
export REFLEX_BUN_PATH="$ROOT/.tools/node_modules/.bin/bun"
export REFLEX_TELEMETRY_ENABLED=false
export REFLEX_CHECK_LATEST_VERSION=false
export TELEMETRY_ENABLED=false
export PYTHONUNBUFFERED=1
# Reflex serves the app with granian unless both uvicorn and gunicorn are installed; pin it, since
# uvicorn's multi-worker modes leave Nagle's algorithm on (uvicorn#3149: +40 ms per keep-alive request).
export REFLEX_USE_GRANIAN=${REFLEX_USE_GRANIAN:-true}
