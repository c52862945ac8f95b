"""``python -m tests.fake_llm --port N``: serve the fake providers in the foreground."""

import argparse

import uvicorn

from tests.fake_llm import build_app

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=8011)
args = parser.parse_args()
uvicorn.run(build_app([]), host="127.0.0.1", port=args.port, log_level="warning", timeout_graceful_shutdown=1)
