"""Write-in-progress markers: which sources a writer may have left half-written.

Before it writes, ``Store`` records ``writing:HOST/PID/START`` → ``{"t": time, "sources": [...]}`` in the
metadata of ``NAME__docs``, and drops the key in the same Chroma call that bumps the revision.  A marker
left behind by a process that is gone (killed, crashed, lost its server mid-write) names exactly the
sources whose chunks must be checked, so recovery never scans the whole store.

>>> key().startswith(PREFIX)
True
>>> sources(value(["a.txt"], value(["b.txt"])))
['a.txt', 'b.txt']
"""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

__all__ = ["PREFIX", "STALE_S", "key", "value", "sources", "abandoned"]

PREFIX = "writing:"
# Another machine's processes cannot be seen from here: its marker counts as abandoned only when
# older than any single write could take.
STALE_S = 600.0
_PROC = Path("/proc/self/stat").exists()


def _start_time(pid: int) -> str | None:
    """When ``pid`` started (kernel ticks; '' without /proc), or None when no such live process."""
    if not _PROC:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
        return ""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # A zombie is dead; the start time tells a reused pid from the process that wrote the marker.
    return None if fields[0] in ("Z", "X") else fields[19]


def key() -> str:
    """This process's marker key (computed each time: a forked child is another writer)."""
    pid = os.getpid()
    return f"{PREFIX}{socket.gethostname()}/{pid}/{_start_time(pid) or ''}"


def value(new: list[str], old: str | None = None) -> str:
    """The marker naming ``new`` plus whatever the previous marker ``old`` of this process named."""
    names = sorted(set(new) | set(sources(old) if old else []))
    return json.dumps({"t": time.time(), "sources": names}, ensure_ascii=False)


def sources(marker: str) -> list[str]:
    """The sources a marker names ([] for a marker that cannot be read)."""
    try:
        got = json.loads(marker)["sources"]
    except (ValueError, TypeError, KeyError):
        return []
    return [s for s in got if isinstance(s, str)]


def abandoned(marker_key: str, marker: str) -> bool:
    """Whether nobody is writing under ``marker_key`` any more (this process counts: callers hold its lock)."""
    if marker_key == key():
        return True
    host, pid, start = marker_key[len(PREFIX):].rsplit("/", 2)
    if host != socket.gethostname():
        try:
            return time.time() - float(json.loads(marker)["t"]) > STALE_S
        except (ValueError, TypeError, KeyError):
            return True
    try:
        now = _start_time(int(pid))
    except ValueError:
        return True
    return now is None or now != start
