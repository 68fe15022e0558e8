"""Preview the built site on localhost, and notice when the files it is built from change."""

from __future__ import annotations

import functools
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterable, Iterator


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # the command layer reports what matters
        pass


def start_server(site_dir: Path, host: str, port: int) -> ThreadingHTTPServer:
    """Serve site_dir in a background thread. The folder is looked up by path on every request, so a rebuild
    that swaps in a new folder is served at once."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer((host, port), handler)
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
