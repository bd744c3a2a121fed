"""The local model's own process: llama-cpp-python's OpenAI-compatible server on 127.0.0.1.

Started by ``chat.localmodel.LocalModel`` (never by hand): a native fault in llama.cpp kills this
process, not the chat.  It binds a free loopback port itself (no race for the number), loads the
model, answers one short chat turn made of the warm-up system prompt (a self-check that generation
works, and it leaves that prompt in the KV cache so the first real question reuses it), and then
prints one JSON line on stdout: ``{"ready": true, "port": …, "features": …, …}``.

It exits when its parent does: the parent holds the write end of our stdin, and reading EOF from it
means the parent is gone, however it died (``kill -9`` included).

    python -m chat.llm_child --model MODEL.gguf --threads 2 --context 2048 --system "You answer …"
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
import urllib.request

__all__ = ["main", "cpu_features"]

LOOPBACK = "127.0.0.1"
ALIAS = "local"  # the model name the parent asks for


def _exit_with_parent() -> None:
    """Block on stdin; EOF means the parent died (or closed it to stop us): leave at once."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def cpu_features(system_info: str) -> list[str]:
    """The CPU features a llama.cpp build uses, from its ``llama_print_system_info()`` text.

    >>> cpu_features("CPU : SSE3 = 1 | AVX = 1 | AVX512 = 0 | AVX2 = 1 | LLAMAFILE = 1 |")
    ['SSE3', 'AVX', 'AVX2']
    """
    out = []
    for part in system_info.replace("\n", "|").split("|"):
        name, sep, value = part.rpartition("=")
        name = name.split(":")[-1].strip()
        if sep and value.strip() == "1" and name and name not in ("LLAMAFILE", "OPENMP", "REPACK", "KLEIDIAI"):
            out.append(name)
    return out


def _warm_up(port: int, system: str, timeout: float) -> float:
    """One short chat turn through our own HTTP API; the seconds it took."""
    body = json.dumps({
        "model": ALIAS, "max_tokens": 4, "temperature": 0.0,
        "messages": [{"role": "system", "content": system}, {"role": "user", "content": "Reply with OK."}],
    }).encode("utf-8")
    req = urllib.request.Request(f"http://{LOOPBACK}:{port}/v1/chat/completions", data=body,
                                 headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        reply = json.loads(resp.read())
    if not reply.get("choices"):
        raise RuntimeError(f"the warm-up turn returned no choices: {reply!r:.200}")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="the local model server (started by articlechat)")
    ap.add_argument("--model", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--context", type=int, default=2048)
    ap.add_argument("--system", default="You are a helpful assistant.")
    ap.add_argument("--warmup-timeout", type=float, default=300.0)
    args = ap.parse_args(argv)

    threading.Thread(target=_exit_with_parent, daemon=True, name="parent-watch").start()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, 0))  # loopback only, a port the kernel knows is free
    port = sock.getsockname()[1]

    t0 = time.perf_counter()
    import llama_cpp
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    model = ModelSettings(
        model=args.model, model_alias=ALIAS, n_ctx=args.context, n_batch=512, n_threads=args.threads,
        n_threads_batch=args.threads, chat_format="chatml", logits_all=False, verbose=False,
    )
    app = create_app(server_settings=ServerSettings(host=LOOPBACK, port=port, interrupt_requests=False),
                     model_settings=[model])
    load_s = time.perf_counter() - t0
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))

    def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            time.sleep(0.02)
        try:
            warm_s = _warm_up(port, args.system, args.warmup_timeout)
        except Exception as exc:  # generation does not work: say so and leave
            print(f"warm-up failed: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            os._exit(3)
        info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
        print(json.dumps({"ready": True, "port": port, "pid": os.getpid(), "load_s": round(load_s, 3),
                          "warmup_s": round(warm_s, 3), "features": cpu_features(info),
                          "llama_cpp": llama_cpp.__version__}), flush=True)

    threading.Thread(target=announce, daemon=True, name="announce").start()
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
