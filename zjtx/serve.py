"""Preview the built site on localhost, and notice when the files it is built from change."""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from collections.abc import Iterable, Iterator

from .errors import ServeError


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves the built site as a static host would: its own 404 page for a missing address."""

    def log_message(self, format, *args):  # the command layer reports what matters
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def start_server(site_dir: Path, host: str, port: int) -> ThreadingHTTPServer:
    """Serve site_dir in a background thread. The folder is looked up by path on every request, so a rebuild
    that swaps in a new folder is served at once. Raises ServeError when the address cannot be used."""
    handler = functools.partial(_SiteHandler, directory=str(site_dir))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        raise ServeError(
            f"cannot serve on {host}:{port} ({error.strerror}): another program uses the port; "
            f"choose another with --port, e.g. --port {port + 1}",
            f"无法在 {host}:{port} 提供预览（{error.strerror}）：该端口已被其他程序占用；"
            f"请用 --port 换一个端口，例如 --port {port + 1}",
        ) from error
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _snapshot(paths: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    state = {}
    for path in paths:
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        for file in files:
            try:
                stat = file.stat()
            except FileNotFoundError:  # deleted while we looked: the next snapshot tells
                continue
            state[file] = (stat.st_mtime_ns, stat.st_size)
    return state


def changes(paths: list[Path], interval: float = 1.0) -> Iterator[list[Path]]:
    """Yield the files that changed (added, edited or deleted) each time something under paths changes."""
    before = _snapshot(paths)
    while True:
        time.sleep(interval)
        after = _snapshot(paths)
        if after != before:
            changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
            before = after
            yield changed
