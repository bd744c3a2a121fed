"""The Gradio app: escaped rendering, exact highlights, uploads, and the named ``/answer`` API (gradio_client)."""

from __future__ import annotations

import html
import unicodedata
from html.parser import HTMLParser

import pytest

from app import render as R
from app.library import Library, upload_dir
from app.web import build_app, format_answer
from app.uploads import received, safe_name
from tests.conftest import ARTICLES, DATA, free_port
from chat.types import Answer, Citation, Hit

EVIL = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quotes" \'too\''
# The only tags the renderers ever emit; any other tag in the output came from a document.
OUR_TAGS = {"div", "span", "a", "b", "q", "ol", "ul", "li", "mark", "table", "thead", "tbody", "tr", "th", "td", "code"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.mark: list[str] | None = None
        self.marks: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        if tag == "mark":
            self.mark = []

    def handle_endtag(self, tag):
        if tag == "mark" and self.mark is not None:
            self.marks.append("".join(self.mark))
            self.mark = None

    def handle_data(self, data):
        self.text.append(data)
        if self.mark is not None:
            self.mark.append(data)


def parse(fragment: str) -> _Tags:
    p = _Tags()
    p.feed(fragment)
    p.close()
    return p


def assert_only_our_markup(fragment: str) -> None:
    p = parse(fragment)
    assert {t for t, _ in p.tags} <= OUR_TAGS, {t for t, _ in p.tags} - OUR_TAGS
    for tag, attrs in p.tags:
        assert not any(k.startswith("on") for k, _ in attrs), (tag, attrs)
        for k, v in attrs:
            assert k in ("class", "href", "title"), (tag, k)
            if k == "href":
                assert v.startswith(("#cite/", "#doc/")), v


def test_document_text_is_escaped():
    quote = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    a = Answer(f"{quote} [1]", [Citation(1, "evil.html", 0, len(quote), quote)], False, [])
    out = format_answer(a)
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;" in out and "&lt;img" in out


def test_refusal_shows_related_passages():
    hit = Hit("a.txt", 0, 5, "Hello", 0.1)
    out = format_answer(Answer("The articles don't say.", [], True, [hit]))
    assert "Related passages" in out and "a.txt" in out and "Not in the articles" in out
    assert parse(out).tags[0][1] == [("class", "ac-answer ac-refused")]
    assert R.parse_href(next(v for t, a in parse(out).tags for k, v in a if k == "href")) == ("a.txt", 0, 5)


def test_every_renderer_escapes_document_text_and_names():
    src = 'ev"il <b>.txt'
    text = f"{EVIL}\nsecond line {EVIL}"
    cite = Citation(1, src, 0, len(EVIL), EVIL)
    hit = Hit(src, 0, len(text), text, 0.5)
    outputs = [
        R.render_answer(Answer(f"{EVIL} [1]", [cite], False, [hit], notice=EVIL), {src: EVIL}),
        R.render_answer(Answer(EVIL, [], True, [hit]), {src: EVIL}),
        R.render_article(src, text, EVIL, 0, len(EVIL), label=EVIL),
        R.render_article(src, text, EVIL),
        R.render_library([(src, EVIL, 10, 2)]),
        R.render_upload_report([src], [src], [src], [EVIL]),
        R.render_error(EVIL), R.render_notice(EVIL), R.render_question(EVIL), R.render_draft(EVIL),
    ]
    for out in outputs:
        assert_only_our_markup(out)
        assert EVIL in html.unescape(out)  # shown as text, not dropped


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_highlight_is_exact_with_vietnamese_diacritics(form):
    raw = (DATA / "vietnamese_quotes.txt").read_text(encoding="utf-8")
    text = unicodedata.normalize(form, raw + "\r\nA & B <c> “Hà Nội – Hải Phòng”\r\n")
    targets = ["Tổng Bí thư Tô Lâm đón Chủ tịch Tập Cận Bình tại Hà Nội.",
               "A & B <c> “Hà Nội – Hải Phòng”\r\n"]
    for target in targets:
        target = unicodedata.normalize(form, target)
        start = text.index(target)
        out = R.render_article("vi.txt", text, "t", start, start + len(target))
        p = parse(out)
        assert p.marks == [text[start : start + len(target)]]
        body = out.split('<div class="ac-article-body">', 1)[1]
        assert "".join(parse(body).text) == text  # the whole article, byte for byte, around the mark
    with pytest.raises(ValueError):
        R.render_article("vi.txt", text, "t", 5, len(text) + 1)


def test_chips_link_each_marker_to_its_span():
    quotes = ["First quote.", "Second one."]
    cites = [Citation(i + 1, f"dir/ả {i}|#.txt", 10 * i, 10 * i + len(q), q) for i, q in enumerate(quotes)]
    out = R.render_answer(Answer("Claim one [1]. Claim two [2][1]. Not a citation [9].", cites, False, []))
    hrefs = [v for t, a in parse(out).tags for k, v in a if k == "href"]
    assert [R.parse_href(h) for h in hrefs] == [(c.source, c.start, c.end) for c in (cites + [cites[0]] + cites)]
    assert "[9]" in "".join(parse(out).text)
    assert [q for q in quotes if f"<q class=\"ac-quote\">{q}</q>" in out] == quotes  # the compact sources list


@pytest.mark.parametrize("href", [None, 5, "", "javascript:alert(1)", "#cite/9/3/a.txt", "#cite/x/3/a.txt",
                                  "#cite/1/2/", "#doc/", "#cite/1/2", "http://x/#cite/1/2/a"])
def test_parse_href_rejects_anything_else(href):
    assert R.parse_href(href) is None


def test_titles_library_and_sizes():
    assert R.title_of("a/b.txt", "\n\n  Bridging  Histories \nbody") == "Bridging Histories"
    assert R.title_of("a/b.txt", "x" * 300) == "b.txt"  # a paragraph is not a title
    assert R.title_of("a/b.txt", "  \n") == "b.txt"
    assert R.title_of("a/b.md", "## Lanterns & more\n") == "Lanterns & more"
    assert R.human_size(999) == "999 B" and R.human_size(8192) == "8.2 kB" and R.human_size(2_500_000) == "2.5 MB"
    out = R.render_library([("a.txt", "A", 1200, 3), ("b.md", "B", 10, 1)])
    assert "2 articles · 4 chunks" in out and R.parse_href(R.doc_href("a.txt")) == ("a.txt", None, None)
    assert "empty" in R.render_library([])


def test_safe_upload_names(tmp_path):
    assert safe_name("../../etc/passwd.TXT") == "passwd.txt"
    assert safe_name("Bài báo <x>.md") == "Bài báo _x.md"
    assert safe_name("x.tar.HTML") == "x.tar.html" and safe_name("<>.txt") == "upload.txt"
    assert safe_name("..\\..\\windows\\evil.txt") == "evil.txt" and safe_name(".bashrc.txt") == "bashrc.txt"
    for name in ["..", ".", "", "/", "../", "a/..", "...txt", "x" * 500 + ".txt", "\u202etxt.exe", "ok\x00.txt",
                 "/etc/passwd", "C:\\Windows\\x.md", " .. .txt"]:
        safe = safe_name(name)
        assert safe and "/" not in safe and "\\" not in safe and not safe.startswith("."), (name, safe)
        assert len(safe) <= 120 and (tmp_path / safe).resolve().parent == tmp_path.resolve(), (name, safe)


def _store_state(settings):
    from vectorstore.store import open_store

    store = open_store(settings.store_config())
    return store.sources(), store.chunk_count(), store.revision()


def test_paths_outside_the_upload_area_are_refused_and_nothing_is_read(fresh_settings, embedder, tmp_path):
    from ingest.pipeline import ingest
    from vectorstore.store import open_store

    ingest([DATA / "vietnamese_quotes.txt"], open_store(fresh_settings.store_config()), embedder, max_mb=1, progress=False)
    before = _store_state(fresh_settings)
    inbox, outside = tmp_path / "inbox", tmp_path / "outside"
    inbox.mkdir()
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("The vault code is 4711.\n", encoding="utf-8")
    (inbox / "link.txt").symlink_to(secret)  # inside the inbox, pointing out of it
    (inbox / "sub").mkdir()
    (inbox / "dirlink").symlink_to(outside, target_is_directory=True)
    backend = Library(fresh_settings, inbox=inbox)
    bad = ["/etc/passwd", str(secret), str(inbox / ".." / "outside" / "secret.txt"), "../../outside/secret.txt",
           str(inbox / "link.txt"), str(inbox / "dirlink" / "secret.txt"), str(inbox / "sub"),
           str(inbox / "missing.txt")]
    text = html.unescape(backend.add_files(bad, lambda *a, **k: None))
    for p in bad:
        assert f"{p}: not a file uploaded to this app; refused, nothing was read" in text, (p, text)
    assert "4711" not in text and "root:" not in text
    assert not upload_dir(fresh_settings).exists()  # nothing copied, not even a staging folder
    assert _store_state(fresh_settings) == before
    assert received(str(secret), inbox) is None and received(str(inbox / "link.txt"), inbox) is None
    (inbox / "sub" / "real.txt").write_text("Quillbrook floats 4,000 paper lanterns.\n", encoding="utf-8")
    assert received(str(inbox / "sub" / ".." / "sub" / "real.txt"), inbox) == (inbox / "sub" / "real.txt").resolve()


@pytest.mark.parametrize("source", ["../../etc/passwd", "/etc/passwd", "a/../../b.txt", "./x.txt", "a\\..\\b.txt",
                                    "x\x00.txt"])
def test_viewer_refuses_sources_that_are_paths(fresh_settings, source):
    out = html.unescape(Library(fresh_settings).open(R.doc_href(source)))
    assert out.endswith(f"Refused: {source!r} is not an article in the library.</div>"), out
    assert "root:" not in out


def test_a_20_mb_upload_and_a_duplicate_are_refused_by_name(fresh_settings, embedder, tmp_path):
    from ingest.pipeline import ingest
    from vectorstore.store import open_store

    ingest([ARTICLES], open_store(fresh_settings.store_config()), embedder, progress=False)
    before = _store_state(fresh_settings)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with open(inbox / "huge.txt", "w", encoding="utf-8") as f:
        for _ in range(20):
            f.write("lanterns " * 111_112)
    name = "vietnam-china-shared-future-2025-04.txt"
    (inbox / "copy.txt").write_bytes((ARTICLES / name).read_bytes())
    backend = Library(fresh_settings, inbox=inbox)  # the default limit, RAG_MAX_FILE_MB=10
    text = html.unescape(backend.add_files([str(inbox / "huge.txt"), str(inbox / "copy.txt")], lambda *a, **k: None))
    assert "huge.txt: 20.0 MB is over the 10.0 MB limit (RAG_MAX_FILE_MB)" in text, text
    assert f"copy.txt: same text as {name} (already stored); skipped as a duplicate" in text, text
    assert _store_state(fresh_settings) == before
    assert list(upload_dir(fresh_settings).iterdir()) == []  # neither kept in the upload area


def test_upload_checks_copies_and_keeps_what_is_stored(fresh_settings, embedder, tmp_path):
    from ingest.pipeline import ingest
    from vectorstore.store import open_store

    settings = fresh_settings.model_copy(update={"max_file_mb": 0.002})  # 2 kB
    ingest([DATA / "vietnamese_quotes.txt"], open_store(settings.store_config()), embedder, max_mb=1, progress=False)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.md").write_text("# Lanterns\n\nQuillbrook floats 4,000 paper lanterns each spring.\n")
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.4")
    (inbox / "big.txt").write_text("a" * 3000)
    (inbox / "latin1.txt").write_bytes("café".encode("latin-1"))
    calls = []
    backend = Library(settings, inbox=inbox)
    report = backend.add_files([str(p) for p in sorted(inbox.iterdir())], lambda *a, **k: calls.append(a))
    text = html.unescape(report)
    assert "Added:</b> good.md" in text
    for name, why in [("notes.pdf", "unsupported file type"), ("big.txt", "over the 2.0 kB limit"),
                      ("latin1.txt", "not valid UTF-8")]:
        assert f"{name}: " in text and why in text, (name, text)
    assert sorted(p.name for p in upload_dir(settings).iterdir()) == ["good.md"]  # only what was ingested
    library = backend.library()
    assert "vietnamese_quotes.txt" in library and "good.md" in library and ">Lanterns<" in library
    assert calls and calls[-1][0] == (1, 1)
    assert "4,000 paper lanterns" in backend.open(R.doc_href("good.md"))
    assert "not in the library" in backend.open(R.doc_href("gone.txt"))


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


@pytest.mark.parametrize(
    "question,message",
    [("x" * 100_000, "question is 100000 characters long; the limit is 2000 (RAG_MAX_QUESTION_CHARS)"),
     ("   ", "question is empty: ask something about the articles"),
     ("why\x1b[2J now?", "question contains control characters (U+001B); remove them and ask again")],
    ids=["100k", "blank", "escape"],
)
def test_answer_endpoint_refuses_bad_questions_with_their_reason(served, corpus_settings, question, message):
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    before = _store_state(corpus_settings)
    with pytest.raises(AppError) as err:
        Client(served, verbose=False).predict(question, api_name="/answer")
    assert str(err.value) == message
    assert _store_state(corpus_settings) == before
