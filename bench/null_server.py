"""A server that stores nothing and answers the SDK's ingestion calls at once: the ceiling of what
the official SDK clients themselves can send on this machine (``bench/ingest.py`` reports it).

Answers every ``ingestStep`` alias with ``{ok: true}`` and ``upsertThread`` with the thread it was
given; anything else gets ``{"data": {}}``. With ``--record FILE`` it appends each request body to
FILE, one per line, so the benchmark can replay the SDK's own requests against the real server.

    python -m bench.null_server --port 3999 [--record bodies.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re

ALIAS = re.compile(r"(\w+)\s*:\s*ingestStep\b")
RECORD: str | None = None  # --record FILE


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    if RECORD and body:
        with open(RECORD, "ab") as f:
            f.write(body.replace(b"\n", b"") + b"\n")
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        request = {}
    query = request.get("query") or ""
    variables = request.get("variables") or {}
    if "ingestStep" in query:
        data = {alias: {"ok": True, "message": None} for alias in ALIAS.findall(query)}
    elif "upsertThread" in query:
        data = {"upsertThread": {"id": variables.get("id"), "name": variables.get("name"), "steps": [],
                                 "metadata": variables.get("metadata"), "tags": variables.get("tags")}}
    else:
        data = {}
    payload = json.dumps({"data": data}).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})


def main() -> None:
    import uvicorn

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--record", help="append each request body to this file, one per line")
    a = p.parse_args()
    global RECORD
    RECORD = a.record
    uvicorn.run(app, host="127.0.0.1", port=a.port, log_level="warning")


if __name__ == "__main__":
    main()
