"""The Gradio chat: formatting only; every answer comes from ``chat.answer``.

Everything that comes from a document is HTML-escaped before it reaches the page.

>>> serve(Settings(), port=7860)       # doctest: +SKIP
"""

from __future__ import annotations

import html
import os
from typing import Any

from vectorstore.settings import Settings
from vectorstore.types import Answer

__all__ = ["build_app", "serve", "format_answer"]

EXAMPLES = [
    "Which Vietnamese exports did China agree to license?",
    "When is the Lao Cai-Hanoi-Hai Phong railway slated to begin construction?",
    "What is the Việt Nam Fatherland Front?",
    "How many passengers will the new railway carry?",
]


def format_answer(a: Answer) -> str:
    """The chat bubble for ``a``: its text, then each citation's source and exact quote."""
    parts = [html.escape(a.text)]
    if a.notice:
        parts.insert(0, f"<em>{html.escape(a.notice)}</em>")
    if a.refused and a.hits:
        related = "".join(
            f"<li><code>{html.escape(h.source)}</code>: {html.escape(h.text[:200])}…</li>" for h in a.hits[:3]
        )
        parts.append(f"<details><summary>Related passages</summary><ul>{related}</ul></details>")
    if a.citations:
        items = "".join(
            f'<li class="cite" data-marker="{c.marker}"><b>[{c.marker}]</b> <code>{html.escape(c.source)}</code> '
            f"[{c.start}:{c.end}]<br><q>{html.escape(c.quote)}</q></li>"
            for c in a.citations
        )
        parts.append(f'<ol class="sources" style="list-style:none;padding-left:0">{items}</ol>')
    return "\n\n".join(parts)


def build_app(settings: Settings) -> Any:
    """The ``gr.Blocks`` app answering from the store that ``settings`` point at."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    import gradio as gr

    from chat.answer import answer

    def respond(message: str, history: list[dict]) -> tuple[str, list[dict]]:
        history = list(history or [])
        try:
            a = answer(message, history=history, settings=settings)
            reply = format_answer(a)
        except (ValueError, RuntimeError) as exc:
            reply = f"⚠️ {html.escape(str(exc))}"
        history += [{"role": "user", "content": message}, {"role": "assistant", "content": reply}]
        return "", history

    def api_answer(question: str) -> dict:
        return answer(question, settings=settings).to_dict()

    with gr.Blocks(title="articlechat") as app:
        gr.Markdown("## articlechat\nAsk about the articles; every claim is cited by its exact passage.")
        chat = gr.Chatbot(label="Chat", height=520, sanitize_html=True, render_markdown=True)
        box = gr.Textbox(placeholder="Ask a question about the articles…", label="Question", autofocus=True)
        with gr.Row():
            send = gr.Button("Ask", variant="primary")
            clear = gr.Button("New chat")
        gr.Examples(EXAMPLES, inputs=box)
        send.click(respond, [box, chat], [box, chat], api_name=False)
        box.submit(respond, [box, chat], [box, chat], api_name=False)
        clear.click(lambda: ("", []), None, [box, chat], api_name=False)
        # A named endpoint for gradio_client: Client(url).predict(question, api_name="/answer").
        hidden_q = gr.Textbox(visible=False)
        hidden_out = gr.JSON(visible=False)
        hidden_q.submit(api_answer, hidden_q, hidden_out, api_name="answer")
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the chat on ``host:port`` until interrupted."""
    app = build_app(settings)
    auth = None
    if settings.auth is not None:
        user, _, password = settings.auth.get_secret_value().partition(":")
        auth = (user, password)
    app.queue(default_concurrency_limit=4).launch(server_name=host, server_port=port, auth=auth, show_error=False)
