"""The local model, supervised: llama.cpp runs in a child process that can die without taking us along.

A native fault in llama.cpp (a build that does not suit this CPU, an out-of-memory kill) used to kill
the whole chat server.  Now ``LocalModel`` starts ``chat.llm_child`` on first use and talks to it
over loopback HTTP like any OpenAI-compatible server, so ``local`` and ``openai`` share one client
path.  What it guarantees:

- ``url()`` returns the child's base URL, starting the child if it is not running (so the question
  after a crash restarts it).  A start that fails raises ``LLMUnavailable`` naming the cause; after
  ``MAX_START_FAILURES`` failed starts in a row the model is marked unavailable until this process
  restarts, and ``url()`` says so at once instead of trying again.
- ``stopped()`` tells whether the child died, and how ("the local model stopped (signal 11, SIGSEGV)"),
  so an answer cut short can fall back and say what happened.
- The child exits when we do (it watches its stdin pipe), binds 127.0.0.1 only, and its start-up
  time and CPU features are logged to ``articlechat.llm``.

>>> describe_exit(-11)
'signal 11, SIGSEGV'
>>> describe_exit(3)
'exit code 3'
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from chat.errors import LLMStopped, LLMUnavailable

__all__ = ["LocalModel", "ModelSpec", "describe_exit", "local_model", "MAX_START_FAILURES"]

MAX_START_FAILURES = 3
log = logging.getLogger("articlechat.llm")


def describe_exit(code: int) -> str:
    """A child's return code in words: a negative code is the signal that killed it."""
    if code < 0:
        try:
            return f"signal {-code}, {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


@dataclass(frozen=True)
class ModelSpec:
    """What the child runs: the GGUF file, threads, context size and the warm-up system prompt.

    ``python`` and ``pythonpath`` choose the interpreter and any extra import path, so a bench can run
    another llama-cpp-python build in the same way.
    """

    path: Path
    threads: int = 2
    context: int = 2048
    system: str = "You are a helpful assistant."
    start_timeout_s: float = 300.0
    python: str = sys.executable
    pythonpath: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.threads < 1 or self.context < 256 or self.start_timeout_s <= 0:
            raise ValueError(f"threads >= 1, context >= 256 and start_timeout_s > 0 required, got {self!r}")


class LocalModel:
    """One supervised model child; thread-safe.  See the module docstring for the guarantees."""

    def __init__(self, spec: ModelSpec, max_start_failures: int = MAX_START_FAILURES) -> None:
        if max_start_failures < 1:
            raise ValueError(f"max_start_failures must be >= 1, got {max_start_failures!r}")
        self.spec = spec
        self.max_start_failures = max_start_failures
        self._lock = threading.RLock()
        self._proc: subprocess.Popen | None = None
        self._port = 0
        self._stderr: Path | None = None
        self.failures = 0  # failed starts in a row
        self.starts = 0  # start attempts, successful or not
        self.unavailable = ""  # the reason, once given up
        self.ready: dict = {}  # the child's ready line: port, pid, load_s, warmup_s, features

    @property
    def pid(self) -> int | None:
        """The running child's process id (None when no child runs)."""
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    def url(self) -> str:
        """The running child's OpenAI-compatible base URL, starting it first if needed."""
        with self._lock:
            if self._proc is not None and self._proc.poll() is None:
                return f"http://127.0.0.1:{self._port}/v1"
            if self.unavailable:
                raise LLMUnavailable(self.unavailable)
            if not self.spec.path.is_file():
                raise LLMUnavailable(f"no local model file at {str(self.spec.path)!r}: run `make model` "
                                     "(or set RAG_LLM_MODEL_PATH)")
            self._reap()
            try:
                self._start()
            except LLMUnavailable as exc:
                self.failures += 1
                if self.failures >= self.max_start_failures:
                    self.unavailable = (f"the local model is unavailable: it failed to start {self.failures} times "
                                        f"in a row (last: {exc}); restart to try again")
                    log.error("%s", self.unavailable)
                    raise LLMUnavailable(self.unavailable) from None
                raise LLMUnavailable(f"{exc} (start {self.failures} of {self.max_start_failures} allowed in a row)") \
                    from None
            self.failures = 0
            return f"http://127.0.0.1:{self._port}/v1"

    def stopped(self) -> LLMStopped | None:
        """An ``LLMStopped`` describing how the child died, or None while it runs (or never ran)."""
        proc = self._proc
        if proc is None:
            return None
        try:
            code = proc.wait(timeout=1.0)  # a killed child closes its socket a moment before it is reaped
        except subprocess.TimeoutExpired:
            return None
        return LLMStopped(f"the local model stopped ({describe_exit(code)}) while answering")

    def stop(self) -> None:
        """End the child (gently, then by force); the next ``url()`` starts a new one."""
        with self._lock:
            proc, self._proc = self._proc, None
            if proc is None:
                return
            if proc.poll() is None:
                proc.send_signal(signal.SIGCONT)  # a paused child cannot act on SIGTERM
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
            self._close(proc)

    def _reap(self) -> None:
        if self._proc is not None:
            code = self._proc.wait()
            log.warning("local model child %d ended (%s); starting a new one", self._proc.pid, describe_exit(code))
            self._close(self._proc)
            self._proc = None

    def _close(self, proc: subprocess.Popen) -> None:
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                stream.close()
        if self._stderr is not None:
            self._stderr.unlink(missing_ok=True)
            self._stderr = None

    def _start(self) -> None:
        spec = self.spec
        env = dict(os.environ)
        paths = [*spec.pythonpath, str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
        fd, name = tempfile.mkstemp(prefix="articlechat-llm-", suffix=".log")
        self._stderr = Path(name)
        cmd = [spec.python, "-m", "chat.llm_child", "--model", str(spec.path), "--threads", str(spec.threads),
               "--context", str(spec.context), "--system", spec.system]
        t0 = time.perf_counter()
        self.starts += 1
        with os.fdopen(fd, "wb") as err:
            # stdin stays open in us: the child leaves when it reads EOF there, i.e. when we are gone.
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, env=env,
                                          start_new_session=True)
        line = self._ready_line(t0 + spec.start_timeout_s)
        try:
            self.ready = json.loads(line)
            self._port = int(self.ready["port"])
        except (ValueError, KeyError, TypeError):
            self.stop()
            raise LLMUnavailable(f"the local model's process said {line[:200]!r} instead of its ready line") from None
        log.info("local model ready in %.1f s (load %.1f s, warm-up %.1f s), pid %d on 127.0.0.1:%d; "
                 "llama.cpp CPU features: %s", time.perf_counter() - t0, self.ready.get("load_s", 0),
                 self.ready.get("warmup_s", 0), self._proc.pid, self._port,
                 " ".join(self.ready.get("features", [])) or "none reported")

    def _ready_line(self, deadline: float) -> str:
        """The child's first stdout line, or ``LLMUnavailable`` saying how the start failed."""
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        try:
            while time.perf_counter() < deadline:
                if sel.select(timeout=0.5):
                    line = proc.stdout.readline().decode("utf-8", "replace").strip()
                    if line:
                        return line
                if proc.poll() is not None:
                    break
        finally:
            sel.close()
        if proc.poll() is None:
            self.stop()
            raise LLMUnavailable(f"the local model did not start within {self.spec.start_timeout_s:g} s")
        reason = f"the local model stopped while starting ({describe_exit(proc.returncode)})"
        tail = self._stderr_tail()
        self._close(proc)
        self._proc = None
        log.error("%s%s", reason, f": {tail}" if tail else "")
        raise LLMUnavailable(reason + (f": {tail}" if tail else ""))

    def _stderr_tail(self) -> str:
        if self._stderr is None or not self._stderr.is_file():
            return ""
        lines = [ln.strip() for ln in self._stderr.read_text("utf-8", "replace").splitlines() if ln.strip()]
        return lines[-1][:300] if lines else ""


_models: dict[ModelSpec, LocalModel] = {}
_models_lock = threading.Lock()


def local_model(spec: ModelSpec) -> LocalModel:
    """The one supervised ``LocalModel`` of this process for ``spec``."""
    with _models_lock:
        if spec not in _models:
            _models[spec] = LocalModel(spec)
        return _models[spec]


def _stop_all() -> None:
    for model in list(_models.values()):
        model.stop()


atexit.register(_stop_all)
