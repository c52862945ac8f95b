"""A forwarding HTTP proxy on a fixed local port that a test can take down and bring back, to
play "the server is unreachable for a while" in front of a real live server."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

import httpx

from tests.live import free_port

_HOP = {"host", "content-length", "connection", "transfer-encoding", "accept-encoding"}


class Proxy:
    def __init__(self, target: str):
        self.target, self.port = target.rstrip("/"), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: Optional[ThreadingHTTPServer] = None

    def up(self) -> "Proxy":
        target = self.target

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
                answer = httpx.post(target + self.path, content=body, headers=headers, timeout=30)
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in _HOP | {"content-encoding"}:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def down(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
