"""Seconds per stage of an answer, told to whoever asked (``answer(..., on_stage=…)``).

>>> seen = []
>>> Clock(lambda stage, s: seen.append(stage)).run("retrieval", sum, [1, 2])
3
>>> seen
['retrieval']
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

__all__ = ["Clock", "OnStage"]

OnStage = Callable[[str, float], None]


class Clock:
    """Seconds per stage, told to ``on_stage`` (nothing is timed without one)."""

    def __init__(self, on_stage: OnStage | None) -> None:
        self.on_stage = on_stage

    def run(self, stage: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if self.on_stage is None:
            return fn(*args, **kwargs)
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            self.on_stage(stage, time.perf_counter() - t0)
