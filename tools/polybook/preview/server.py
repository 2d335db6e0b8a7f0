"""The preview's HTTP server: the site's files on 127.0.0.1, every HTML page
with a small script that reloads it when the site changes.

The script long-polls `/__polybook/wait?since=N`, which answers as soon as the
site's version is past N (or after WAIT_SECONDS with the same version); a
rebuild calls `Versions.bump()`. No polling interval, no sleeps.
"""

from __future__ import annotations

import json
import threading
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PREFIX = "/__polybook/"
WAIT_SECONDS = 25.0
RELOAD_SCRIPT = """<script>
(function () {
  var seen = null;
  function wait() {
    fetch("/__polybook/wait?since=" + (seen === null ? -1 : seen), {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        if (seen !== null && d.version !== seen) { location.reload(); return; }
        seen = d.version;
        wait();
      })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
</script>
"""


class Versions:
    """The site's version: bumped after each rebuild; waiters are woken."""

    def __init__(self) -> None:
        self._version = 0
        self._cond = threading.Condition()

    @property
    def current(self) -> int:
        with self._cond:
            return self._version

    def bump(self) -> int:
        with self._cond:
            self._version += 1
            self._cond.notify_all()
            return self._version

    def wait(self, since: int, timeout: float) -> int:
        with self._cond:
            self._cond.wait_for(lambda: self._version != since, timeout)
            return self._version


def inject(html: bytes) -> bytes:
    """The page with the reload script before `</body>` (or at its end)."""
    script = RELOAD_SCRIPT.encode()
    at = html.rfind(b"</body>")
    return html + script if at < 0 else html[:at] + script + html[at:]


class _Handler(SimpleHTTPRequestHandler):
    versions: Versions

    def __init__(self, *args: Any, versions: Versions, **kwargs: Any) -> None:
        self.versions = versions
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: Any) -> None:
        return  # the preview prints its own lines

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _json(self, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path.startswith(PREFIX):
            query = parse_qs(url.query)
            if url.path == PREFIX + "wait":
                since = int((query.get("since") or ["-1"])[0])
                self._json({"version": self.versions.wait(since, WAIT_SECONDS)})
            else:
                self._json({"version": self.versions.current})
            return
        path = Path(self.translate_path(url.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            body = inject(path.read_bytes())
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


class PreviewServer:
    """Serves `root` on 127.0.0.1:`port` (0: any free port) in a thread."""

    def __init__(self, root: Path, versions: Versions, port: int = 0) -> None:
        handler = partial(_Handler, directory=str(root), versions=versions)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
