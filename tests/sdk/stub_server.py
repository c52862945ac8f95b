"""A tiny local HTTP server that records what the SDK sends and answers like a Literal server
(``ok: true`` for every ingest alias). It is the SDK's peer under test, not a provider mock:
tests switch it to failing (5xx) or stop it to exercise retries and queue bounds."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional

from tests.live import free_port


class StubServer:
    def __init__(self, port: Optional[int] = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.requests: List[Dict] = []
        self.fail_status: Optional[int] = None
        self.reject_names: set = set()  # a batch carrying a step with such a name gets a GraphQL error
        self.lock = threading.Lock()
        self._server: Optional[ThreadingHTTPServer] = None

    def start(self) -> "StubServer":
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                if stub.fail_status:
                    self.send_response(stub.fail_status)
                    self.end_headers()
                    return
                names = {v for k, v in (body.get("variables") or {}).items() if k.startswith("name_")}
                if names & stub.reject_names:
                    answer = {"errors": [{"message": "rejected step"}], "data": None}
                else:
                    with stub.lock:
                        stub.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    answer = stub.answer(self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def answer(self, path: str, body: Dict) -> Dict:
        if path.endswith("/my-project"):
            return {"projectId": "stub-project"}
        query = body.get("query", "")
        aliases = [part.split(":")[0].strip().split()[-1] for part in query.split("\n")
                   if "ingestStep(" in part or "upsertThread(" in part]
        return {"data": {alias: {"ok": True, "message": None, "id": "x"} for alias in aliases}}

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def ingested(self) -> List[Dict]:
        """Every step payload received, in order (variables regrouped per alias)."""
        return [payload for kind, payload in self.events() if kind == "step"]

    def events(self) -> List[tuple]:
        out = []
        with self.lock:
            requests = list(self.requests)
        for request in requests:
            variables = request["body"].get("variables") or {}
            groups: Dict[int, Dict] = {}
            for key, value in variables.items():
                name, _, index = key.rpartition("_")
                if index.isdigit():
                    groups.setdefault(int(index), {})[name] = value
            query = request["body"].get("query", "")
            for i in sorted(groups):
                kind = "thread" if f"thread{i}: upsertThread" in query else "step"
                out.append((kind, groups[i]))
        return out
