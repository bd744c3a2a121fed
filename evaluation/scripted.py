"""A scripted OpenAI-compatible chat server on 127.0.0.1: it answers what it is told to, citing the
evidence it was shown by number.

It stands in for an LLM that writes a chosen sentence (true or false) under the right citation, the
hardest case for verification.  ``reply`` is a template whose ``[*]`` becomes the number of the
evidence line (``[n] text`` in the prompt) that contains ``cite``; ``[1]`` when none does.

>>> with ScriptedLLM() as llm:
...     llm.say("Chili and passion fruit [*].", cite="passion fruit")
...     llm.fill("Evidence:\\n[1] Rice is grown.\\n[2] China licensed chili and passion fruit.\\n\\nQuestion: q")
'Chili and passion fruit [2].'
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["ScriptedLLM"]

_LINE = re.compile(r"^\[(\d+)\] (.*)$", re.M)


class ScriptedLLM:
    """A real HTTP server speaking ``/v1/chat/completions`` (plain and streamed) and ``/v1/models``."""

    def __init__(self) -> None:
        self.reply, self.cite = "", ""
        self.requests: list[dict] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet: this is a test double
                pass

            def do_GET(self) -> None:
                self._json({"object": "list", "data": [{"id": "scripted", "object": "model"}]})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                owner.requests.append(body)
                user = next((m["content"] for m in reversed(body.get("messages", [])) if m["role"] == "user"), "")
                text = owner.fill(user)
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    for piece in re.findall(r"\S+\s*", text) or [""]:
                        self._event({"choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
                    self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                    self.wfile.write(b"data: [DONE]\n\n")
                    return
                self._json({"id": "s", "object": "chat.completion", "created": int(time.time()), "model": "scripted",
                            "choices": [{"index": 0, "finish_reason": "stop",
                                         "message": {"role": "assistant", "content": text}}]})

            def _event(self, chunk: dict) -> None:
                chunk = {"id": "s", "object": "chat.completion.chunk", "created": int(time.time()),
                         "model": "scripted", **chunk}
                self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.flush()

            def _json(self, obj: dict) -> None:
                data = json.dumps(obj).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def say(self, reply: str, cite: str = "") -> None:
        """What to answer next: ``reply`` with ``[*]`` citing the evidence line that contains ``cite``."""
        self.reply, self.cite = reply, cite

    def fill(self, prompt: str) -> str:
        """The reply for a prompt holding numbered evidence lines."""
        n = next((m.group(1) for m in _LINE.finditer(prompt) if self.cite and self.cite in m.group(2)), "1")
        return self.reply.replace("[*]", f"[{n}]")

    def __enter__(self) -> ScriptedLLM:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
