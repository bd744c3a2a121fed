"""Pure HTML rendering for the chat UI: answer bubbles, sources, the article viewer, the library table.

No Gradio here, only strings (and the CSS and the few lines of JS that make chips clickable).
Everything that comes from a document, a file name or the user is HTML-escaped by ``esc``; the only
markup is ours.  Citation chips are plain links whose ``href`` carries the span
(``#cite/START/END/SOURCE``): the chatbot's sanitizer keeps ``href`` and ``class`` but strips
``data-*`` attributes, and a link is focusable and clickable from the keyboard.

>>> parse_href(cite_href("a b.txt", 3, 9))
('a b.txt', 3, 9)
>>> render_article("a.txt", "x<y> z", "a", 0, 4).count("<mark")
1
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from urllib.parse import quote, unquote

from chat.cite import BARE_MARKER
from vectorstore.text import title_of
from chat.types import Answer, Citation, Hit

__all__ = [
    "CSS", "VIEWER_JS", "LIBRARY_JS", "esc", "cite_href", "doc_href", "parse_href", "title_of", "human_size",
    "render_question", "render_draft", "render_answer", "render_error", "render_notice", "render_article",
    "render_library", "render_upload_report",
]

_HREF = re.compile(r"#(cite)/(\d{1,12})/(\d{1,12})/(.+)|#(doc)/(.+)", re.DOTALL)
VIEWER_HINT = "Click a citation chip such as [1] in an answer to read the passage here, highlighted in its article."

CSS = """
.ac-answer { line-height: 1.55; }
.ac-text { margin: 0 0 .4em 0; white-space: pre-wrap; }
.ac-notice { font-size: .85em; opacity: .8; font-style: italic; margin-bottom: .4em; }
a.cite-chip { display: inline-block; padding: 0 .45em; margin: 0 .1em; border-radius: 999px; font-size: .8em;
  font-weight: 600; line-height: 1.5; text-decoration: none !important; cursor: pointer; vertical-align: baseline;
  background: var(--color-accent-soft, #fde8d7); color: var(--color-accent, #c2410c) !important;
  border: 1px solid var(--color-accent, #f97316); }
a.cite-chip:hover, a.cite-chip:focus-visible, a.cite-chip.ac-active { background: var(--color-accent, #f97316);
  color: #fff !important; }
.ac-sources { margin-top: .5em; padding-top: .35em; border-top: 1px solid var(--border-color-primary, #ddd);
  font-size: .85em; }
.ac-sources-h { font-weight: 600; opacity: .75; margin-bottom: .2em; }
.ac-sources ol { list-style: none; padding-left: 0; margin: 0; }
.ac-sources li { margin: .25em 0; }
.ac-src-title { font-weight: 600; }
.ac-src-file { opacity: .65; font-size: .9em; }
.ac-quote { display: block; opacity: .85; margin-left: 2.2em; }
.ac-refused .ac-text { border-left: 3px solid #d97706; padding-left: .6em; }
.ac-badge { display: inline-block; font-size: .75em; font-weight: 700; text-transform: uppercase; color: #92400e;
  background: #fef3c7; border-radius: 4px; padding: 0 .4em; margin-right: .4em; }
.ac-error { color: #b91c1c; }
.ac-typing { opacity: .6; }
.ac-article { border: 1px solid var(--border-color-primary, #ddd); border-radius: 8px; overflow: hidden; }
.ac-article-head { padding: .6em .8em; background: var(--background-fill-secondary, #f6f6f6);
  border-bottom: 1px solid var(--border-color-primary, #ddd); }
.ac-article-title { font-weight: 700; font-size: 1.05em; }
.ac-article-meta { font-size: .8em; opacity: .7; margin-top: .15em; }
.ac-article-body { position: relative; max-height: 68vh; overflow-y: auto; padding: .8em; white-space: pre-wrap;
  overflow-wrap: anywhere; font-size: .92em; line-height: 1.6; }
mark.ac-mark { background: #fde047; color: #111; border-radius: 3px; padding: 1px 0;
  box-shadow: 0 0 0 2px #facc15; }
.ac-placeholder { padding: 2em 1em; text-align: center; opacity: .65; border: 1px dashed
  var(--border-color-primary, #ccc); border-radius: 8px; }
table.ac-library { width: 100%; border-collapse: collapse; font-size: .92em; }
table.ac-library th, table.ac-library td { text-align: left; padding: .35em .5em;
  border-bottom: 1px solid var(--border-color-primary, #e5e5e5); }
table.ac-library td.num, table.ac-library th.num { text-align: right; white-space: nowrap; }
a.ac-doc-link { font-weight: 600; cursor: pointer; }
.ac-lib-summary { font-size: .85em; opacity: .75; margin: .3em 0 .6em; }
"""


# Runs once per page in the viewer's js_on_load (element/trigger/watch are gradio's).  One listener on the
# document serves every chip, including chips in answers rendered later; the viewer scrolls to its mark.
VIEWER_JS = """
window.__acOpen = (href) => trigger('click', {href: href});
if (!window.__acBound) {
  window.__acBound = true;
  const style = document.createElement('style');
  style.id = 'articlechat-css';
  style.textContent = %s;
  document.head.appendChild(style);
  document.addEventListener('click', (ev) => {
    const a = ev.target && ev.target.closest ? ev.target.closest('a[href^="#cite/"]') : null;
    if (!a) return;
    ev.preventDefault();
    document.querySelectorAll('a.ac-active').forEach((x) => x.classList.remove('ac-active'));
    a.classList.add('ac-active');
    window.__acOpen(a.getAttribute('href'));
  });
}
const toMark = () => {
  const body = element.querySelector('.ac-article-body');
  const mark = element.querySelector('mark.ac-mark');
  if (body && mark) body.scrollTop = Math.max(0, mark.offsetTop - body.clientHeight / 3);
  else if (body) body.scrollTop = 0;
};
watch('value', toMark);
toMark();
""" % json.dumps(CSS)

LIBRARY_JS = """
element.addEventListener('click', (ev) => {
  const a = ev.target && ev.target.closest ? ev.target.closest('a[href^="#doc/"]') : null;
  if (!a) return;
  ev.preventDefault();
  trigger('click', {href: a.getAttribute('href')});
});
"""


def esc(text: object) -> str:
    """``text`` HTML-escaped (quotes too); carriage returns kept as ``&#13;`` so offsets survive parsing."""
    return html.escape(str(text), quote=True).replace("\r", "&#13;")


def cite_href(source: str, start: int, end: int) -> str:
    """The link target of a citation chip: ``#cite/START/END/SOURCE`` (source percent-encoded)."""
    return f"#cite/{int(start)}/{int(end)}/{quote(source, safe='')}"


def doc_href(source: str) -> str:
    """The link target that opens a whole article: ``#doc/SOURCE``."""
    return f"#doc/{quote(source, safe='')}"


def parse_href(href: object) -> tuple[str, int | None, int | None] | None:
    """``(source, start, end)`` from a chip or library link (start, end None for ``#doc/``), else None."""
    if not isinstance(href, str) or len(href) > 4096:
        return None
    m = _HREF.fullmatch(href)
    if not m:
        return None
    if m.group(1):
        start, end, source = int(m.group(2)), int(m.group(3)), unquote(m.group(4))
        return (source, start, end) if start <= end and source else None
    source = unquote(m.group(6))
    return (source, None, None) if source else None


def human_size(n_bytes: int) -> str:
    """``1234`` → ``'1.2 kB'``."""
    if n_bytes < 1000:
        return f"{n_bytes} B"
    if n_bytes < 1_000_000:
        return f"{n_bytes / 1000:.1f} kB"
    return f"{n_bytes / 1_000_000:.1f} MB"


def render_question(question: str) -> str:
    """The user's bubble: the question as text."""
    return f'<div class="ac-text">{esc(question)}</div>'


def render_draft(draft: str) -> str:
    """The bubble while an answer streams: the raw draft, escaped, with a typing mark."""
    return f'<div class="ac-answer"><div class="ac-text">{esc(draft)}<span class="ac-typing"> ▍</span></div></div>'


def _chip(c: Citation, title: str) -> str:
    tip = f"{title} — {c.source} [{c.start}:{c.end}]"
    return f'<a class="cite-chip" href="{esc(cite_href(c.source, c.start, c.end))}" title="{esc(tip)}">[{c.marker}]</a>'


def _with_chips(text: str, citations: Sequence[Citation], titles: Mapping[str, str]) -> str:
    by_marker: dict[int, Citation] = {}
    for c in citations:
        by_marker.setdefault(c.marker, c)
    out, pos = [], 0
    for m in BARE_MARKER.finditer(text):
        c = by_marker.get(int(m.group(1)))
        if c is None:
            continue
        out += [esc(text[pos : m.start()]), _chip(c, titles.get(c.source, c.source))]
        pos = m.end()
    out.append(esc(text[pos:]))
    return "".join(out)


def _source_line(title: str, source: str, span: str) -> str:
    file = f"{source} {span}".strip() if title != PurePosixPath(source).name else span
    return f'<span class="ac-src-title">{esc(title)}</span> <span class="ac-src-file">{esc(file)}</span>'


def _sources(citations: Sequence[Citation], titles: Mapping[str, str]) -> str:
    items = "".join(
        f'<li class="cite">{_chip(c, titles.get(c.source, c.source))} '
        f'{_source_line(titles.get(c.source, c.source), c.source, f"[{c.start}:{c.end}]")}'
        f'<q class="ac-quote">{esc(c.quote)}</q></li>'
        for c in citations
    )
    return f'<div class="ac-sources"><div class="ac-sources-h">Sources</div><ol class="sources">{items}</ol></div>'


def _related(hits: Sequence[Hit], titles: Mapping[str, str], n: int = 3, chars: int = 220) -> str:
    items = []
    for h in hits[:n]:
        title = titles.get(h.source, h.source)
        snippet = " ".join(h.text.split())
        snippet = snippet if len(snippet) <= chars else snippet[: chars - 1].rstrip() + "…"
        items.append(
            f'<li><a class="cite-chip" href="{esc(cite_href(h.source, h.start, h.end))}" '
            f'title="{esc(f"{title} — {h.source} [{h.start}:{h.end}]")}">open</a> '
            f'{_source_line(title, h.source, "")}'
            f'<q class="ac-quote">{esc(snippet)}</q></li>'
        )
    return (
        '<div class="ac-sources"><div class="ac-sources-h">Related passages (they do not answer it)</div>'
        f'<ol class="related">{"".join(items)}</ol></div>'
    )


def render_answer(a: Answer, titles: Mapping[str, str] | None = None) -> str:
    """The answer bubble: notice, text with clickable ``[n]`` chips, then its sources (or related passages)."""
    titles = titles or {}
    notice = f'<div class="ac-notice">{esc(a.notice)}</div>' if a.notice else ""
    if a.refused:
        body = f'<div class="ac-text"><span class="ac-badge">Not in the articles</span>{esc(a.text)}</div>'
        related = _related(a.hits, titles) if a.hits else ""
        return f'<div class="ac-answer ac-refused">{notice}{body}{related}</div>'
    body = f'<div class="ac-text">{_with_chips(a.text, a.citations, titles)}</div>'
    sources = _sources(a.citations, titles) if a.citations else ""
    return f'<div class="ac-answer">{notice}{body}{sources}</div>'


def render_error(message: str) -> str:
    """A bubble for a question that could not be answered (bad input, empty store, …)."""
    return f'<div class="ac-answer ac-error"><b>Could not answer:</b> {esc(message)}</div>'


def render_notice(message: str = VIEWER_HINT) -> str:
    """The viewer's placeholder (or a short message in its place)."""
    return f'<div class="ac-placeholder">{esc(message)}</div>'


def render_article(
    source: str, text: str, title: str, start: int | None = None, end: int | None = None, label: str = ""
) -> str:
    """The article viewer: ``text`` escaped, with ``<mark class="ac-mark">`` exactly around ``text[start:end]``."""
    if start is None or end is None:
        body, where = esc(text), f"{len(text):,} characters"
    else:
        if not (0 <= start <= end <= len(text)):
            raise ValueError(f"span {start}:{end} is outside {source!r} ({len(text)} characters)")
        body = f'{esc(text[:start])}<mark class="ac-mark">{esc(text[start:end])}</mark>{esc(text[end:])}'
        where = f"passage {start}–{end} of {len(text):,} characters"
    named = source if title != PurePosixPath(source).name else ""
    meta = " · ".join(x for x in (esc(named), esc(label), where) if x)
    return (
        f'<div class="ac-article"><div class="ac-article-head"><div class="ac-article-title">{esc(title)}</div>'
        f'<div class="ac-article-meta">{meta}</div></div><div class="ac-article-body">{body}</div></div>'
    )


def render_library(rows: Sequence[tuple[str, str, int, int]]) -> str:
    """The library table from ``(source, title, size_bytes, chunks)`` rows; titles open the article."""
    if not rows:
        return render_notice("The library is empty: upload .txt, .md or .html files, or run `rag ingest`.")
    body = "".join(
        f'<tr><td><a class="ac-doc-link" href="{esc(doc_href(src))}">{esc(title)}</a></td>'
        f'<td><code>{esc(src)}</code></td><td class="num">{human_size(size)}</td><td class="num">{chunks}</td></tr>'
        for src, title, size, chunks in rows
    )
    total = sum(r[3] for r in rows)
    summary = f'<div class="ac-lib-summary">{len(rows)} article{"s" * (len(rows) != 1)} · {total} chunks</div>'
    head = '<tr><th>Title</th><th>File</th><th class="num">Size</th><th class="num">Chunks</th></tr>'
    return f'{summary}<table class="ac-library"><thead>{head}</thead><tbody>{body}</tbody></table>'


def render_upload_report(added: Sequence[str], replaced: Sequence[str], unchanged: Sequence[str],
                         problems: Sequence[str]) -> str:
    """What an upload did: files added, replaced, already there, and each rejected file with its reason."""
    done = (("Added", added), ("Replaced", replaced), ("Already in the library", unchanged))
    parts = [f'<div class="ac-up-ok"><b>{label}:</b> {esc(", ".join(names))}</div>' for label, names in done if names]
    if problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in problems)
        parts.append(f'<div class="ac-up-bad ac-error"><b>Not added:</b><ul>{items}</ul></div>')
    if added or replaced:
        parts.append("<div>You can ask about them in the Chat tab now.</div>")
    return "".join(parts) or render_notice("No files were given.")
