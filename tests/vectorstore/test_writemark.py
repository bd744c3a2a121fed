"""Write markers: whose writer is gone (so recovery may act) and whose is still running (hands off)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

from vectorstore import writemark


def _key_of(pid: int, start: str, host: str | None = None) -> str:
    import socket

    return f"{writemark.PREFIX}{host or socket.gethostname()}/{pid}/{start}"


def test_a_live_process_keeps_its_marker_a_dead_one_loses_it():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        start = writemark._start_time(proc.pid)
        assert start, "a running process has a start time"
        live = _key_of(proc.pid, start)
        assert not writemark.abandoned(live, writemark.value(["a.txt"]))
        assert writemark.abandoned(_key_of(proc.pid, "1"), "{}"), "same pid, other start: the pid was reused"
    finally:
        proc.kill()
        proc.wait()
    assert writemark.abandoned(live, writemark.value(["a.txt"])), "killed and reaped: gone"


def test_own_marker_counts_as_abandoned_and_values_merge():
    assert writemark.abandoned(writemark.key(), "{}")  # callers hold the store lock: nothing in flight
    merged = writemark.value(["b.txt"], writemark.value(["a.txt", "b.txt"]))
    assert writemark.sources(merged) == ["a.txt", "b.txt"]
    assert writemark.sources("not json") == []


def test_another_machines_marker_is_abandoned_only_when_stale():
    key = _key_of(4242, "99", host="some-other-host")
    fresh = writemark.value(["a.txt"])
    old = json.dumps({"t": time.time() - writemark.STALE_S - 1, "sources": ["a.txt"]})
    assert not writemark.abandoned(key, fresh) and writemark.abandoned(key, old)
