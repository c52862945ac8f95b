"""What a decorated function pays for being logged, per step, with literal_sdk and with the
official literalai SDK, measured in the same run against a local server that answers at once.

    python bench/sdk_overhead.py [--steps 3000]

Prints microseconds per step for each SDK (decorated call minus the bare call), the ratio, and
the import time of literal_sdk (``python -X importtime``). Targets: literal_sdk at most half the
official overhead; import under 150 ms. Background delivery runs during the measurement (it
competes for the GIL like it would in an application) but the final flush is not counted.
"""

import argparse
import json
import logging
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _OkHandler(BaseHTTPRequestHandler):
    """Answers every GraphQL request with ``ok`` for each alias, immediately."""

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        variables = body.get("variables") or {}
        answer = {f"step{k[3:]}": {"ok": True, "message": None} for k in variables if k.startswith("id_")}
        if "mutation UpsertThread" in body.get("query", ""):
            answer["upsertThread"] = {"id": variables.get("id"), "name": variables.get("name"), "metadata": {},
                                      "tags": [], "createdAt": None, "participant": None}
        data = json.dumps({"data": answer}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def start_server() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OkHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def payload(question: str, k: int = 3) -> dict:
    return {"question": question, "documents": [f"doc {i}" for i in range(k)]}


def measure(client, steps: int, rounds: int = 5) -> float:
    """Median over rounds of (decorated - bare) seconds per call, inside a thread."""
    decorated = client.step(type="tool")(payload)
    results = []
    for _ in range(rounds):
        with client.thread(name="bench"):
            t0 = time.perf_counter()
            for i in range(steps):
                payload("q", 3)
            bare = time.perf_counter() - t0
            t0 = time.perf_counter()
            for i in range(steps):
                decorated("q", 3)
            logged = time.perf_counter() - t0
        results.append((logged - bare) / steps)
        client.flush()
    return statistics.median(results)


def import_time_ms(module: str) -> float:
    """Cumulative import time of ``module`` in a fresh interpreter (best of 10: the figure is
    very sensitive to other load on the machine)."""
    best = float("inf")
    for _ in range(10):
        out = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"],
                             capture_output=True, text=True).stderr.strip().splitlines()
        line = [l for l in out if l.rstrip().endswith(f"| {module}")][-1]
        best = min(best, int(line.split("|")[1]) / 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=3000)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    url = start_server()
    import literal_sdk
    import literalai

    ours = literal_sdk.LiteralClient(api_key="bench", url=url)
    official = literalai.LiteralClient(api_key="bench", url=url)
    measure(ours, 200, rounds=1)  # warm up both (imports, connections)
    measure(official, 50, rounds=1)
    ours_us = measure(ours, args.steps) * 1e6
    official_us = measure(official, max(200, args.steps // 10)) * 1e6
    print(f"steps per round: literal_sdk {args.steps}, literalai {max(200, args.steps // 10)} (5 rounds, median)")
    print(f"literal_sdk overhead : {ours_us:9.1f} us/step")
    print(f"literalai   overhead : {official_us:9.1f} us/step")
    print(f"ratio literal_sdk/literalai: {ours_us / official_us:.3f}  (target <= 0.5)")
    print(f"import literal_sdk: {import_time_ms('literal_sdk'):.1f} ms  (target < 150 ms)")
    print(f"import literalai  : {import_time_ms('literalai'):.1f} ms")
    ours.flush_and_stop(timeout=10)


if __name__ == "__main__":
    main()
