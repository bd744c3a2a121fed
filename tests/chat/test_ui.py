"""The Gradio app: escaped rendering, and the named ``/answer`` API through a real gradio_client."""

from __future__ import annotations

import pytest

from chat.ui import build_app, format_answer
from tests.conftest import ARTICLES, free_port
from vectorstore.types import Answer, Citation, Hit


def test_document_text_is_escaped():
    quote = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    a = Answer(f"{quote} [1]", [Citation(1, "evil.html", 0, len(quote), quote)], False, [])
    html = format_answer(a)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img" in html


def test_refusal_shows_related_passages():
    hit = Hit("a.txt", 0, 5, "Hello", 0.1)
    html = format_answer(Answer("The articles don't say.", [], True, [hit]))
    assert "Related passages" in html and "a.txt" in html


@pytest.fixture(scope="module")
def served(corpus_settings):
    app = build_app(corpus_settings)
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_gradio_client_answer_endpoint(served):
    from gradio_client import Client

    client = Client(served, verbose=False)
    data = client.predict("Which Vietnamese exports did China agree to license?", api_name="/answer")
    assert data["refused"] is False
    c = next(c for c in data["citations"] if "chili and passion fruit" in c["quote"])
    assert (ARTICLES / c["source"]).read_text(encoding="utf-8")[c["start"] : c["end"]] == c["quote"]
