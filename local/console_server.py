"""Serves the web console (console/) as CloudFront does on AWS: static files with the same security headers.

`/config.json` is this run's configuration (API URL, Cognito endpoint, client id), served from the
state directory beside stack.json rather than written into console/, so two local stacks (a developer's
and a test run's) never overwrite each other's.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

CONSOLE_DIR = Path(__file__).resolve().parent.parent / "console"
# Only the console's own files are served: never the deploy template or anything outside console/.
SERVED_SUFFIXES = {".html", ".js", ".css", ".svg", ".png", ".ico", ".txt", ".json"}
UNSERVED = {"template.yaml", "README.md"}


def console_config(stack: dict) -> dict:
    """What the console needs to sign in and call the API; on AWS the deploy step writes the same keys."""
    return {"apiUrl": stack["apiUrl"], "region": stack["region"], "cognitoEndpoint": stack["awsEndpoint"],
            "userPoolId": stack["userPoolId"], "clientId": stack["clientId"]}


def security_headers(connect_sources: list[str]) -> dict[str, str]:
    """The headers console/template.yaml's response headers policy sets, with this run's origins."""
    csp = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           f"connect-src 'self' {' '.join(connect_sources)}; frame-ancestors 'none'; base-uri 'none'; "
           "form-action 'self'; object-src 'none'")
    return {"Content-Security-Policy": csp, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer", "Cross-Origin-Opener-Policy": "same-origin-allow-popups",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()"}


class _Console(BaseHTTPRequestHandler):
    def __init__(self, *args, root: Path, headers: dict[str, str], config: dict, **kwargs) -> None:
        self.root, self.extra, self.config = root, headers, config
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = urlsplit(self.path).path
        if path == "/config.json":
            return self._send(200, json.dumps(self.config).encode(), "application/json", cache="no-store")
        file = (self.root / (path.lstrip("/") or "index.html")).resolve()
        if (not file.is_relative_to(self.root) or not file.is_file() or file.suffix not in SERVED_SUFFIXES
                or file.name in UNSERVED):
            return self._send(404, b"not found", "text/plain")
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self._send(200, file.read_bytes(), kind, cache="no-cache")  # revalidate: edits show on reload

    def _send(self, status: int, body: bytes, kind: str, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        for name, value in self.extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: object) -> None:  # quiet: the launcher prints what matters
        pass


def serve(port: int, config: dict, root: Path = CONSOLE_DIR) -> ThreadingHTTPServer:
    """Starts serving on 127.0.0.1:port, the origin the API's CORS was told (CONSOLE_ORIGIN)."""
    headers = security_headers([config["apiUrl"], config["cognitoEndpoint"]])
    handler = partial(_Console, root=root.resolve(), headers=headers, config=config)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, name="console", daemon=True).start()
    return server
