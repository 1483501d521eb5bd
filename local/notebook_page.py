"""Serves the page behind the embedded AWS's pre-signed notebook URLs (SageMaker's JupyterLab stands here)."""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .emulation import lookup_notebook_token


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        name = url.path.removeprefix("/notebooks/")
        token = (parse_qs(url.query).get("authToken") or [""])[0]
        grant = lookup_notebook_token(token) if token else None
        if not url.path.startswith("/notebooks/") or grant is None or grant["notebook_name"] != name:
            return self._answer(403, "Invalid or unknown notebook link", "Ask the workbench for a new connection.")
        if grant["expired"]:
            return self._answer(403, "This notebook link has expired", "Ask the workbench for a new connection.")
        self._answer(200, f"Notebook {html.escape(name)}",
                     f"Account {grant['account_id']}, {grant['region']}. On AWS this is JupyterLab; "
                     f"the embedded AWS shows this page instead. Link valid until {grant['expires_at']:%H:%M:%S} UTC.")

    def _answer(self, status: int, title: str, text: str) -> None:
        body = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{text}</p>".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:  # quiet: the launcher prints what matters
        pass


def serve(port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), _Page)
    threading.Thread(target=server.serve_forever, name="notebook-pages", daemon=True).start()
    return server
