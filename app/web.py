"""The Gradio app: Blocks wiring only; answers come from ``chat.answer``, HTML from ``app.render``.

Chat on the left, article viewer on the right.  A citation chip is a link ``#cite/START/END/SOURCE``;
a document-level click listener (installed by the viewer's ``js_on_load``) sends that link to the
viewer's ``click`` event, whose handler reads the article from the store and marks ``text[start:end]``.
The Library tab lists the stored articles and ingests uploads (copied into ``upload_dir(settings)``).

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    build_app(Settings()).launch()  # ``rag serve`` (app.server) adds the API and the MCP tools
"""

from __future__ import annotations

import os
from html import escape
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
import gradio as gr  # noqa: E402  (after the analytics switch; `rag` imports this module only to serve)

from app import render as R  # noqa: E402
from app.library import UPLOAD_TYPES, Library, upload_dir  # noqa: E402
from app.settings import GENERATORS, Settings  # noqa: E402
from chat.types import Answer  # noqa: E402

__all__ = ["build_app", "format_answer", "upload_dir", "EXAMPLES"]

EXAMPLES = [
    "What are the articles about?",
    "Which Vietnamese exports did China agree to license?",
    "When is the Lao Cai-Hanoi-Hai Phong railway slated to begin construction?",
    "What is the Việt Nam Fatherland Front?",
    "How many passengers will the new railway carry?",
    "Tuyến đường sắt Lào Cai – Hà Nội – Hải Phòng khi nào khởi công?",
    "习近平这次访问越南是在什么时候？",
]

def format_answer(a: Answer, titles: dict[str, str] | None = None) -> str:
    """The chat bubble for ``a`` (see ``ui_render.render_answer``)."""
    return R.render_answer(a, titles)


def _messages(convo: list[dict]) -> list[dict]:
    return [m for t in convo for m in ({"role": "user", "content": R.render_question(t["q"])},
                                       {"role": "assistant", "content": t["html"]})]


def build_app(settings: Settings) -> Any:
    """The ``gr.Blocks`` app answering from the store that ``settings`` point at."""
    from chat.answer import answer, answer_stream, validate_question

    backend = Library(settings)
    config = settings.chat_config()

    def respond(question: str, convo: list[dict], generator: str, k: float):
        q, convo = (question or "").strip(), list(convo or [])
        if not q:
            yield "", convo, _messages(convo)
            return
        # A turn that failed (a bad question) is shown but never becomes history for follow-ups.
        history = [m for t in convo if not t.get("failed") for m in ({"role": "user", "content": t["q"]},
                                                                    {"role": "assistant", "content": t["plain"]})]
        try:
            validate_question(q, settings.max_question_chars)  # before anything is shown or computed
        except ValueError as exc:
            limit = settings.max_question_chars
            shown_q = q if len(q) <= limit else f"{q[:200]}… ({len(q)} characters)"
            convo.append({"q": shown_q, "plain": "", "html": R.render_error(str(exc)), "failed": True})
            yield "", convo, _messages(convo)
            return
        shown = _messages(convo) + [{"role": "user", "content": R.render_question(q)},
                                    {"role": "assistant", "content": R.render_draft("")}]
        yield "", convo, shown
        draft, html, plain, failed = "", "", "", False
        try:
            for item in answer_stream(q, history=history, generator=generator, k=int(k), config=config):
                if isinstance(item, Answer):
                    titles = backend.titles({c.source for c in item.citations} | {h.source for h in item.hits})
                    html, plain = R.render_answer(item, titles), item.text
                else:
                    draft += item
                    shown[-1] = {"role": "assistant", "content": R.render_draft(draft)}
                    yield "", convo, shown
        except (ValueError, RuntimeError) as exc:  # bad question, StoreError (e.g. the Chroma server is down)
            html, failed = R.render_error(settings.redact(str(exc))), True
        except Exception as exc:  # anything else still ends as a message in the chat, not a broken turn
            html, failed = R.render_error(settings.redact(f"Something went wrong: {type(exc).__name__}: {exc}")), True
        convo.append({"q": q, "plain": plain, "html": html, "failed": failed})
        yield "", convo, _messages(convo)

    def open_link(evt: gr.EventData) -> str:  # {href} sent by ui_render.VIEWER_JS/LIBRARY_JS
        return backend.open(getattr(evt, "href", None))

    def upload(files: list[str] | None, progress=gr.Progress()):
        status = backend.add_files([str(f) for f in files or []], progress)
        return None, status, backend.library()

    def pick_example(evt: gr.SelectData) -> str:
        v = evt.value
        return v.get("text", "") if isinstance(v, dict) else str(v or "")

    def api_answer(question: str) -> dict:
        """Answer ``question`` from the articles; the ``Answer`` as JSON (text, citations, refused, hits)."""
        try:
            return answer(question, config=config).to_dict()
        except (ValueError, RuntimeError) as exc:
            # gr.Error reaches the client even with show_error=False: a bad question gets its reason
            # (escaped: Gradio renders the message as HTML wherever it shows it in a page).
            raise gr.Error(escape(settings.redact(str(exc)), quote=False), print_exception=False) from None

    private: dict[str, Any] = {"api_visibility": "private"}
    with gr.Blocks(title="articlechat", fill_width=True) as app:
        gr.Markdown("## articlechat\nAsk about the articles. Every claim is cited; click a "
                    "**[n]** chip to see the exact passage highlighted in its article.")
        convo = gr.State([])
        with gr.Tabs():
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=5, min_width=380):
                        chat = gr.Chatbot(
                            label="Chat", elem_id="ac-chat", height=560, sanitize_html=True,
                            render_markdown=False, feedback_options=None, buttons=[],
                            examples=[{"text": q} for q in EXAMPLES],
                            placeholder="Ask a question about the articles, or pick an example.",
                        )
                        with gr.Row():
                            box = gr.Textbox(placeholder="Ask a question about the articles…", show_label=False,
                                             autofocus=True, scale=5, elem_id="ac-question", max_lines=4)
                            send = gr.Button("Ask", variant="primary", scale=1, elem_id="ac-ask")
                        with gr.Row():
                            new = gr.Button("New chat", size="sm", elem_id="ac-new")
                        with gr.Accordion("Settings", open=False, elem_id="ac-settings"):
                            gen = gr.Radio(list(GENERATORS), value=settings.generator, label="Generator",
                                           elem_id="ac-generator",
                                           info="local: the llama.cpp model · openai: an OpenAI-compatible "
                                                "server · extractive: quotes the best sentences, no LLM")
                            top_k = gr.Slider(1, max(20, settings.top_k), value=settings.top_k, step=1,
                                              label="Chunks retrieved (top-k)", elem_id="ac-top-k")
                    with gr.Column(scale=4, min_width=320):
                        viewer = gr.HTML(R.render_notice(), js_on_load=R.VIEWER_JS, elem_id="ac-viewer",
                                         label="Article")
            with gr.Tab("Library", id="library"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=5, min_width=380):
                        library = gr.HTML(R.render_notice("Loading…"), js_on_load=R.LIBRARY_JS,
                                          elem_id="ac-library")
                        files = gr.File(label=f"Add articles: {', '.join(UPLOAD_TYPES)} files up to "
                                              f"{settings.max_file_mb:g} MB each", file_count="multiple",
                                        elem_id="ac-upload")
                        status = gr.HTML("", elem_id="ac-upload-status")
                        refresh = gr.Button("Refresh", size="sm")
                    with gr.Column(scale=4, min_width=320):
                        reader = gr.HTML(R.render_notice("Click a title to read the article."),
                                         elem_id="ac-reader")

        ask = [box, convo, gen, top_k]
        send.click(respond, ask, [box, convo, chat], **private)
        box.submit(respond, ask, [box, convo, chat], **private)
        chat.example_select(pick_example, None, box, **private).then(respond, ask, [box, convo, chat], **private)
        new.click(lambda: ("", [], [], R.render_notice()), None, [box, convo, chat, viewer], **private)
        chat.clear(lambda: ([], R.render_notice()), None, [convo, viewer], **private)  # the chat's own bin icon
        viewer.click(open_link, None, viewer, **private)
        library.click(open_link, None, reader, **private)
        files.upload(upload, files, [files, status, library], concurrency_limit=1, show_progress_on=files,
                     **private)
        refresh.click(backend.library, None, library, **private)
        app.load(backend.library, None, library, **private)
        # A named endpoint for gradio_client: Client(url).predict(question, api_name="/answer").
        gr.api(api_answer, api_name="answer")
    return app
