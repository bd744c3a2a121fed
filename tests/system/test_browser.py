"""The chat UI in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Each app is started in-process on a free 127.0.0.1 port.  The browser never reaches anything else:
the page's only outside resources (web fonts) fail offline and the page works without them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.library import upload_dir
from app.web import build_app
from app.render import parse_href
from tests.conftest import ARTICLES, DATA, ROOT, free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
OUT = ROOT / "test-output"
QUESTION = "Which Vietnamese exports did China agree to license?"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="browser tests need Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _launch(settings):
    app = build_app(settings)
    port = free_port()
    app.queue().launch(prevent_thread_lock=True, server_name="127.0.0.1", server_port=port, quiet=True)
    return app, f"http://127.0.0.1:{port}/"


@pytest.fixture
def page(browser):
    """A fresh page that records JavaScript dialogs and errors (any XSS would show up in them)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    pg.dialogs, pg.errors = [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def ask(pg, question: str):
    """Type ``question``, send it, and return the locator of the final (verified) answer bubble."""
    before = pg.locator("#ac-chat .ac-answer:not(:has(.ac-typing))").count()
    pg.fill("#ac-question textarea", question)
    pg.click("#ac-ask")
    pg.wait_for_function(
        "n => document.querySelectorAll('#ac-chat .ac-answer:not(:has(.ac-typing))').length > n"
        " && !document.querySelector('#ac-chat .ac-typing')",
        arg=before,
    )
    return pg.locator("#ac-chat .ac-answer").last


@pytest.fixture(scope="module")
def corpus_url(corpus_settings):
    app, url = _launch(corpus_settings)
    yield url
    app.close()


def test_citation_click_highlights_the_exact_passage(corpus_url, page):
    page.goto(corpus_url)
    page.get_by_text(QUESTION).first.wait_for()  # example questions on first load
    page.evaluate("""() => { window.__sawDraft = false;
        new MutationObserver(() => { if (document.querySelector('#ac-chat .ac-typing')) window.__sawDraft = true; })
          .observe(document.body, {subtree: true, childList: true}); }""")
    bubble = ask(page, QUESTION)
    assert page.evaluate("window.__sawDraft")  # the streamed draft was shown, then replaced by the verified answer
    chip = bubble.locator(".ac-text a.cite-chip", has_text="[1]").first
    source, start, end = parse_href(chip.get_attribute("href"))
    quote = bubble.locator(".ac-sources li").first.locator("q").text_content()
    assert (ARTICLES / source).read_text(encoding="utf-8")[start:end] == quote

    chip.click()
    mark = page.locator("#ac-viewer mark.ac-mark")
    mark.wait_for()
    assert mark.text_content() == quote
    assert "chili and passion fruit" in quote
    assert page.locator("#ac-viewer mark").count() == 1
    # Scrolled to the passage: the mark is inside the viewer's visible box, and the chat is left of it.
    page.wait_for_function(
        """() => { const m = document.querySelector('#ac-viewer mark.ac-mark').getBoundingClientRect();
                   const b = document.querySelector('#ac-viewer .ac-article-body').getBoundingClientRect();
                   return m.top >= b.top && m.bottom <= b.bottom; }"""
    )
    assert page.locator("#ac-chat").bounding_box()["x"] < page.locator("#ac-viewer").bounding_box()["x"]
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / "ui-citation.png"))
    assert not page.dialogs and not page.errors


def test_refusal_followup_settings_and_new_chat(corpus_url, corpus_settings, page):
    page.goto(corpus_url)
    page.get_by_text("What is the Việt Nam Fatherland Front?").click()  # an example runs straight away
    page.locator("#ac-chat .ac-answer .ac-sources").first.wait_for()
    refused = ask(page, "Who won the 2022 football World Cup?")
    assert "The articles don't say" in refused.inner_text()
    assert refused.locator(".ac-badge").inner_text().lower() == "not in the articles"
    related = refused.locator("ol.related a.cite-chip")
    assert related.count() >= 1
    source, start, end = parse_href(related.first.get_attribute("href"))
    related.first.click()
    page.locator("#ac-viewer mark.ac-mark").wait_for()
    text = (ARTICLES / source).read_text(encoding="utf-8")
    assert page.locator("#ac-viewer mark.ac-mark").text_content() == text[start:end]

    ask(page, "Which body approved the Lao Cai-Hanoi-Hai Phong railway project?")
    follow = ask(page, "When will it begin construction?")  # "it" is the railway from the previous turn
    assert "2025" in follow.inner_text()
    summary = ask(page, "What are the articles about?")  # each article's opening, under its name
    assert "“Bridging Histories, Building Futures”:" in summary.inner_text()
    assert summary.locator(".ac-text a.cite-chip").count() == 4
    bad = ask(page, "x" * 100_000)  # refused with its reason, shown shortened, nothing computed
    assert bad.inner_text() == ("Could not answer: question is 100000 characters long; the limit is 2000 "
                                "(RAG_MAX_QUESTION_CHARS)")
    assert "(100000 characters)" in page.locator("#ac-chat").inner_text()

    # The settings panel shows the Settings in force (from .env and RAG_* variables).
    page.locator("#ac-settings").get_by_text("Settings", exact=True).click()
    assert page.locator("#ac-generator input[value=extractive]").is_checked()
    assert page.locator("#ac-top-k input[type=number]").input_value() == str(corpus_settings.top_k)

    page.click("#ac-new")
    page.wait_for_function("() => !document.querySelector('#ac-chat .ac-answer')")
    assert page.locator("#ac-viewer .ac-placeholder").count() == 1
    ask(page, QUESTION)  # a new chat starts from nothing; so does one cleared with the chat's bin icon
    page.locator("#ac-chat button[aria-label='Clear']").click()
    page.wait_for_function("() => !document.querySelector('#ac-chat .ac-answer')")
    ask(page, QUESTION)
    assert page.locator("#ac-chat .ac-answer").count() == 1
    assert not page.dialogs and not page.errors


@pytest.fixture
def upload_url(tmp_path, embedder):
    from ingest.pipeline import ingest
    from app.settings import Settings
    from vectorstore.store import open_store

    settings = Settings(_env_file=None, chroma_path=tmp_path / "chroma", collection="uploads_ui",
                        generator="extractive", max_file_mb=0.02)
    ingest([DATA / "vietnamese_quotes.txt"], open_store(settings.store_config()), embedder, max_mb=1, progress=False)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "evil.txt").write_text(
        'Evil <script>window.__xss=1;alert("script")</script> lanterns\n\n'
        'The lotus lantern festival <img src=x onerror="window.__xss=2;alert(2)"> is held every spring in '
        "Quillbrook, where residents float 4,000 paper lanterns on the river.\n\n"
        "People in Quillbrook say the lotus lantern festival began in 1872.\n",
        encoding="utf-8",
    )
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.4 not text")
    (inbox / "big.txt").write_text("lantern " * 4000, encoding="utf-8")  # 32 kB > 20 kB
    app, url = _launch(settings)
    yield url, settings, inbox
    app.close()
    shutil.rmtree(upload_dir(settings), ignore_errors=True)


def test_upload_then_ask_and_document_html_never_runs(upload_url, page):
    url, settings, inbox = upload_url
    page.goto(url)
    page.get_by_role("tab", name="Library").click()
    page.locator("#ac-library table.ac-library").wait_for()
    assert "vietnamese_quotes.txt" in page.inner_text("#ac-library")

    names = ("evil.txt", "notes.pdf", "big.txt")
    page.set_input_files("#ac-upload input[type=file]", [str(inbox / n) for n in names])
    page.locator("#ac-upload-status .ac-up-ok").wait_for(timeout=120_000)
    status = page.inner_text("#ac-upload-status")
    assert "Added: evil.txt" in status
    assert "notes.pdf: unsupported file type '.pdf'" in status and "big.txt: 32.0 kB is over the 20.0 kB" in status
    assert sorted(p.name for p in upload_dir(settings).iterdir()) == ["evil.txt"]
    page.locator("#ac-library a.ac-doc-link", has_text="Evil").wait_for()
    assert "vietnamese_quotes.txt" in page.inner_text("#ac-library")  # nothing stored was lost

    page.locator("#ac-library a.ac-doc-link", has_text="Evil").click()
    page.locator("#ac-reader .ac-article-body").wait_for()
    shown = page.locator("#ac-reader .ac-article-body").text_content()
    assert '<script>window.__xss=1;alert("script")</script>' in shown and 'onerror="window.__xss=2' in shown

    page.get_by_role("tab", name="Chat").click()
    bubble = ask(page, "When did the lotus lantern festival in Quillbrook begin?")
    chip = bubble.locator(".ac-text a.cite-chip").first
    source, start, end = parse_href(chip.get_attribute("href"))
    assert source == "evil.txt"
    chip.click()
    page.locator("#ac-viewer mark.ac-mark").wait_for()
    assert page.locator("#ac-viewer mark.ac-mark").text_content() == bubble.locator("q").first.text_content()
    assert "<img src=x" in page.locator("#ac-viewer .ac-article-body").text_content()

    page.wait_for_timeout(500)  # give any injected handler the chance to fire
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src='x'], #ac-reader script, #ac-viewer script, #ac-chat script").count() == 0
    assert not page.dialogs and not page.errors


@pytest.fixture
def multilingual_url(tmp_path, embedder):
    from app.settings import Settings
    from ingest.pipeline import ingest
    from vectorstore.store import open_store

    settings = Settings(_env_file=None, chroma_path=tmp_path / "chroma", collection="multi_ui", generator="extractive")
    ingest([ROOT / "tests" / "data" / "multilingual"], open_store(settings.store_config()), embedder, progress=False)
    app, url = _launch(settings)
    yield url
    app.close()


def test_chinese_and_vietnamese_show_and_highlight_exactly(multilingual_url, page):
    """A Vietnamese question finds a Chinese passage; its chip opens the article with exactly that span marked."""
    page.goto(multilingual_url)
    page.get_by_text("习近平这次访问越南是在什么时候？").first.wait_for()  # the Chinese example is offered
    bubble = ask(page, "Bảo tàng khoa học mới của thành phố Tinh Hà mở cửa vào ngày nào?")
    assert "Bảo tàng khoa học" in page.inner_text("#ac-chat")  # the question is shown as typed
    chip = bubble.locator(".ac-text a.cite-chip").first
    source, start, end = parse_href(chip.get_attribute("href"))
    text = (ROOT / "tests" / "data" / "multilingual" / source).read_text(encoding="utf-8")
    assert source == "zh-kejiguan.txt" and "星河市科技馆" in text[start:end]
    assert "does not translate" in bubble.inner_text()
    chip.click()
    mark = page.locator("#ac-viewer mark.ac-mark")
    mark.wait_for()
    assert mark.text_content() == text[start:end]
    assert not page.dialogs and not page.errors
