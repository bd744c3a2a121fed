"""Secrets (``RAG_AUTH``, ``RAG_LLM_API_KEY``, ``RAG_API_KEY``) never reach output: `rag ask`, `rag serve`, errors, the UI config.

The OpenAI-compatible server here is a real HTTP server on 127.0.0.1 that misbehaves on purpose: it
rejects every request and echoes the ``Authorization`` header it received in its error message, the
way a careless proxy might.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from app.web import build_app
from tests.conftest import ROOT, free_port
from app.settings import Settings

API_KEY = "sk-test-Zq8Vt3Lw9Kp2Xr7M"
PASSWORD = "pw-Hn4Rt8Gk2Jm6Ws1Q"
AUTH = f"reader:{PASSWORD}"
BEARER = "tok-Vb5Nq1Ze7Rc3Yu9D"  # RAG_API_KEY: the token of /v1 and /mcp
SECRETS = (API_KEY, PASSWORD, BEARER)
QUESTION = "Which Vietnamese exports did China agree to license?"


class _EchoKey(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"error": {"message": f"invalid credentials: {self.headers.get('Authorization')}",
                                     "type": "invalid_request_error"}}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # quiet test output
        pass


@pytest.fixture(scope="module")
def echo_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoKey)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    server.shutdown()
    server.server_close()


def _env(corpus_settings, **extra):
    return {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_CHROMA_PATH": str(corpus_settings.chroma_path),
            "RAG_COLLECTION": corpus_settings.collection, "RAG_GENERATOR": "extractive", "RAG_AUTH": AUTH,
            "RAG_LLM_API_KEY": API_KEY, "RAG_API_KEY": BEARER, **extra}


def _rag(args, env, timeout=300):
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=timeout)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret leaked: …{text[max(0, text.find(secret) - 200):][:400]}…"


def test_rag_ask_masks_a_key_that_the_llm_server_echoes(corpus_settings, echo_server):
    env = _env(corpus_settings, RAG_GENERATOR="openai", RAG_LLM_BASE_URL=echo_server, RAG_LLM_MODEL="m")
    out = _rag(["ask", QUESTION], env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "note: The openai model failed" in out.stdout and "invalid credentials: Bearer **********" in out.stdout
    assert "[1]" in out.stdout  # answered all the same, by the extractive fallback
    assert_no_secret(out.stdout + out.stderr)


def test_a_malformed_rag_auth_is_named_without_being_printed(corpus_settings):
    out = _rag(["ask", QUESTION], _env(corpus_settings, RAG_AUTH=PASSWORD))  # forgot the "user:" part
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "RAG_AUTH must look like user:password" in out.stderr and "input_value='**********'" in out.stderr
    assert_no_secret(out.stdout + out.stderr)


def test_the_ui_config_sent_to_browsers_carries_no_secret(corpus_settings):
    settings = Settings(_env_file=None, chroma_path=corpus_settings.chroma_path, collection=corpus_settings.collection,
                        generator="extractive", auth=AUTH, llm_api_key=API_KEY)
    app = build_app(settings)
    config = json.dumps(app.get_config_file(), default=str)
    assert '"extractive"' in config and "ac-generator" in config  # the settings panel is in there
    assert_no_secret(config)


def _lan_address() -> str | None:
    """This machine's non-loopback IPv4 address, if it has one (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.254.254.254", 1))
        except OSError:
            return None
        ip = s.getsockname()[0]
    return None if ip.startswith("127.") or ip == "0.0.0.0" else ip


def test_rag_serve_binds_loopback_asks_for_the_login_and_logs_no_secret(corpus_settings, tmp_path):
    from gradio_client import Client

    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
                                env=_env(corpus_settings), cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 180
        while True:
            try:
                urllib.request.urlopen(url, timeout=5)
                break
            except urllib.error.HTTPError:  # the login page answers: the server is up
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.time() < deadline, "rag serve did not start in 180 s"
                time.sleep(0.5)
        lan = _lan_address()
        if lan:  # by default only this machine can connect
            with socket.socket() as s:
                assert s.connect_ex((lan, port)) != 0, f"rag serve answers on {lan}:{port}"
        with pytest.raises(urllib.error.HTTPError) as refused:  # the API needs the login
            urllib.request.urlopen(url + "config", timeout=10)
        assert refused.value.code == 401
        with pytest.raises(ValueError, match="Could not login"):  # the right password works just below
            Client(url, auth=("reader", "wrong-password"), verbose=False)
        data = Client(url, auth=("reader", PASSWORD), verbose=False).predict(QUESTION, api_name="/answer")
        assert data["refused"] is False and data["citations"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
    output = log.read_text(errors="replace")
    assert f"127.0.0.1:{port}" in output, output  # the server's own output was captured
    assert_no_secret(output)
