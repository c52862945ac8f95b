"""Tag names this process has already stored in a project's tag catalogue.

Every ingested step carries tags, and the catalogue (``tag`` table, shown in Settings → Tags and
the Logs filters) only needs a name once: remembering them skips an INSERT round trip on most
ingestion requests. Entries expire after ``TTL`` seconds, so a tag deleted in the UI (possibly in
another process) comes back at most that long after a new step carries it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

TTL = 300.0
MAX_PROJECTS = 1000
_lock = threading.Lock()
_known: dict[str, tuple[float, set[str]]] = {}


def unseen(project_id: str, names: Iterable[str]) -> set[str]:
    """The names not known to be in ``project_id``'s catalogue."""
    names = set(names)
    with _lock:
        entry = _known.get(project_id)
        if entry is None or time.monotonic() - entry[0] > TTL:
            return names
        return names - entry[1]


def remember(project_id: str, names: Iterable[str]) -> None:
    """Record names committed to the catalogue."""
    with _lock:
        entry = _known.get(project_id)
        now = time.monotonic()
        if entry is None or now - entry[0] > TTL:
            if len(_known) >= MAX_PROJECTS:
                _known.clear()
            entry = _known[project_id] = (now, set())
        entry[1].update(names)


def forget(project_id: str) -> None:
    """Drop what is known of a project (its catalogue changed in this process)."""
    with _lock:
        _known.pop(project_id, None)
