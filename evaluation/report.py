"""Evaluation reports: ``report.json``, a self-contained ``report.html``, and a Markdown summary.

The HTML has its CSS inline and its plots (metric bars, latency histogram) embedded as base64 PNGs
drawn by matplotlib's Agg canvas, so the one file can be mailed or attached to a CI run.  Every
string that came from a test set, a document or an answer is HTML-escaped.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    paths = write_reports(report, Path("reports/eval"))
    print(markdown_summary(report))
    # → | metric | value | threshold | status |
"""

from __future__ import annotations

import base64
import io
import json
from html import escape
from pathlib import Path
from typing import Any

from evaluation.evaluate import METRICS

__all__ = ["write_reports", "render_html", "markdown_summary", "fmt_value"]

# Per-question columns: (metric key in the row, header, pass rule).
_ARTICLE_COLUMNS = (
    ("hit_at_k", "hit@k", bool),
    ("reciprocal_rank", "RR", lambda v: v > 0),
    ("answer_f1", "F1", lambda v: v >= 0.5),
    ("answer_containment", "contains", bool),
    ("refusal_correct", "refusal ok", bool),
    ("citation_validity", "cit. valid", lambda v: v >= 1.0),
    ("citation_precision", "cit. prec.", lambda v: v >= 0.5),
    ("citation_recall", "cit. recall", lambda v: v >= 1.0),
)
_RGB_COLUMNS = (
    ("hit_at_k", "hit@k", bool),
    ("reciprocal_rank", "RR", lambda v: v > 0),
    ("correct", "correct", bool),
)
_RGB_LEGEND = ("hit@k: a retrieved snippet contains an acceptable form of the answer; correct: the answer does "
               "(RGB's rule, case-insensitive containment; a refusal is wrong).")
_LEGEND = ("pass rules per question: F1 ≥ 0.5, citation precision ≥ 0.5, citation recall = 1 (every sentence "
           "supported), validity = 1; hit@k and containment are yes/no; – means not applicable.")

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d1d1f;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.meta{color:#555;margin-bottom:12px}table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #ddd;padding:5px 8px;vertical-align:top;text-align:left}
th{background:#f0f0f3;position:sticky;top:0}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{background:#e6f4ea;color:#137333}.fail{background:#fce8e6;color:#a50e0e}.na{color:#999}
.rows td{max-width:560px}.answer{white-space:pre-wrap}.cites{margin:6px 0 0;padding-left:0;list-style:none;color:#333}
.cites li{margin:2px 0}.src{color:#666;font-size:12px}.bad{color:#a50e0e;font-weight:600}
.refused{color:#8a5a00;font-style:italic}.error{color:#a50e0e}img{max-width:100%;border:1px solid #ddd;background:#fff}
.plots{display:flex;flex-wrap:wrap;gap:16px}.warn{color:#8a5a00}.legend{color:#666;font-size:12px}
"""


def fmt_value(name: str, value: Any) -> str:
    """A summary value for people: latencies in ms, rates with three decimals."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.1f}" if name.endswith("_ms") else f"{value:.3f}"
    return str(value)


def _threshold_index(report: dict) -> dict[str, dict]:
    return {t["metric"]: t for t in report.get("thresholds", [])}


def markdown_summary(report: dict) -> str:
    """A compact Markdown table of every measured metric, with its threshold and status when gated."""
    s, gates = report["summary"], _threshold_index(report)
    meta = report["meta"]
    counts = ", ".join(f"{k} {s[k]}" for k in ("questions", "answerable", "unanswerable", "refused", "errors",
                                                 "citations", "notices") if k in s)
    lines = [f"**{meta.get('kind', 'eval')}** · k={meta.get('k')} · generator={meta.get('generator')} · {counts}",
             "", "| metric | value | threshold | status |", "|---|---:|---:|---|"]
    for name, (label, _) in METRICS.items():
        if name not in s:
            continue
        gate = gates.get(name)
        limit = f"{gate['op']} {gate['limit']:g}" if gate else ""
        status = ("ok" if gate["ok"] else "**FAIL**") if gate else ""
        lines.append(f"| {label} | {fmt_value(name, s[name])} | {limit} | {status} |")
    by_lang = report.get("by_language") or {}
    if by_lang:  # the questions are in several languages: each one on its own
        langs = sorted(by_lang)
        lines += ["", "| by question language | " + " | ".join(langs) + " |", "|---|" + "---:|" * len(langs),
                  "| questions | " + " | ".join(str(by_lang[g].get("questions")) for g in langs) + " |"]
        for name, (label, _) in METRICS.items():
            if any(name in by_lang[g] for g in langs) and "latency" not in name:
                lines.append(f"| {label} | " + " | ".join(fmt_value(name, by_lang[g].get(name)) for g in langs) + " |")
    return "\n".join(lines)


# ---- plots ------------------------------------------------------------------------------------------
def _png(fig: Any) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=96, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _metric_bars(summary: dict) -> str | None:
    from matplotlib.figure import Figure

    names = [n for n in METRICS if not n.endswith("_ms") and isinstance(summary.get(n), (int, float))]
    if not names:
        return None
    fig = Figure(figsize=(7, 0.38 * len(names) + 0.8))
    ax = fig.add_subplot()
    values = [summary[n] for n in names]
    colors = ["#c5221f" if METRICS[n][1] == "lower" else "#1a73e8" for n in names]
    ax.barh([METRICS[n][0] for n in names], values, color=colors)
    for y, v in enumerate(values):
        ax.text(min(v, 1.0) + 0.01, y, f"{v:.3f}", va="center", fontsize=8)
    ax.set_xlim(0, 1.12)
    ax.invert_yaxis()
    ax.set_title("aggregate metrics (red: lower is better)", fontsize=10)
    ax.tick_params(labelsize=8)
    return _png(fig)


def _latency_hist(rows: list[dict]) -> str | None:
    from matplotlib.figure import Figure

    series = {stage: [r["latency_ms"][stage] for r in rows if stage in r.get("latency_ms", {})]
              for stage in ("total", "retrieval")}
    if not series["total"]:
        return None
    fig = Figure(figsize=(7, 3.2))
    ax = fig.add_subplot()
    values = [v for vals in series.values() for v in vals]
    lo, hi = max(min(values), 0.1), max(max(values), 0.2)
    log = hi / lo > 20  # a long tail (a cold first query) squashes everything else on a linear axis
    n = min(30, max(5, len(series["total"]) // 2))
    bins = [lo * (hi / lo) ** (i / n) for i in range(n + 1)] if log else n
    for stage, color in (("total", "#1a73e8"), ("retrieval", "#f29900")):
        if series[stage]:
            ax.hist([max(v, lo) for v in series[stage]], bins=bins, alpha=0.6, color=color, label=stage)
    if log:
        ax.set_xscale("log")
    ax.set_xlabel("milliseconds per question" + (" (log scale)" if log else ""), fontsize=9)
    ax.set_ylabel("questions", fontsize=9)
    ax.set_title("latency", fontsize=10)
    ax.legend(fontsize=8)
    ax.tick_params(labelsize=8)
    return _png(fig)


# ---- HTML -------------------------------------------------------------------------------------------
def _cell(value: Any, rule: Any) -> str:
    if value is None:
        return '<td class="na">–</td>'
    ok = rule(value)
    shown = fmt_value("", value) if not isinstance(value, bool) else ("yes" if value else "no")
    return f'<td class="num {"pass" if ok else "fail"}">{escape(shown)}</td>'


def _answer_html(row: dict) -> str:
    if row.get("error"):
        return f'<div class="error">error: {escape(row["error"])}</div>'
    cls = "answer refused" if row.get("refused") else "answer"
    parts = [f'<div class="{cls}">{escape(row.get("answer") or "")}</div>']
    if row.get("notice"):
        parts.append(f'<div class="src">note: {escape(row["notice"])}</div>')
    items = []
    for c in row.get("citations", []):
        flags = "" if c.get("valid", True) else ' <span class="bad">INVALID</span>'
        if c.get("relevant") is False:
            flags += ' <span class="src">(not on evidence)</span>'
        items.append(f'<li>[{int(c["marker"])}] “{escape(c["quote"])}” <span class="src">{escape(str(c["source"]))} '
                     f'[{int(c["start"])}:{int(c["end"])}]</span>{flags}</li>')
    if items:
        parts.append(f'<ul class="cites">{"".join(items)}</ul>')
    ref = row.get("reference")
    ref_text = "unanswerable" if ref is None and row.get("answerable") is False else ref
    if ref_text is not None:
        parts.append(f'<div class="src">reference: {escape(str(ref_text))}</div>')
    return "".join(parts)


def render_html(report: dict, title: str = "articlechat evaluation") -> str:
    """The whole report as one HTML page (no external resources)."""
    meta, s, rows = report["meta"], report["summary"], report["rows"]
    gates = _threshold_index(report)
    columns, legend = (_RGB_COLUMNS, _RGB_LEGEND) if meta.get("kind") == "rgb" else (_ARTICLE_COLUMNS, _LEGEND)
    meta_line = " · ".join(f"{escape(str(k))}: {escape(str(v))}" for k, v in meta.items())
    out = [f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>',
           f"<style>{_CSS}</style></head><body><h1>{escape(title)}</h1><div class=\"meta\">{meta_line}</div>"]
    failed = [t for t in report.get("thresholds", []) if not t["ok"]]
    if gates:
        verdict = (f'<p class="fail">&nbsp;{len(failed)} threshold(s) missed: '
                   f'{escape(", ".join(t["metric"] for t in failed))}&nbsp;</p>' if failed
                   else '<p class="pass">&nbsp;all thresholds met&nbsp;</p>')
        out.append(verdict)
    out.append("<h2>Summary</h2><table><tr><th>metric</th><th>value</th><th>threshold</th></tr>")
    counts = [k for k in ("questions", "answerable", "unanswerable", "refused", "errors", "citations", "notices")
              if k in s]
    for k in counts:
        out.append(f'<tr><td>{escape(k)}</td><td class="num">{escape(str(s[k]))}</td><td></td></tr>')
    for name, (label, _) in METRICS.items():
        if name in s:
            gate = gates.get(name)
            cls = "" if not gate else (' class="num pass"' if gate["ok"] else ' class="num fail"')
            limit = escape(f"{gate['op']} {gate['limit']:g}") if gate else ""
            out.append(f'<tr><td>{escape(label)}</td><td class="num"><span{cls}>{escape(fmt_value(name, s[name]))}'
                       f"</span></td><td class=\"num\">{limit}</td></tr>")
    out.append("</table>")
    plots = [p for p in (_metric_bars(s), _latency_hist(rows)) if p]
    if plots:
        out.append('<h2>Plots</h2><div class="plots">')
        out += [f'<img alt="plot" src="data:image/png;base64,{p}">' for p in plots]
        out.append("</div>")
    out.append(f'<h2>Questions</h2><p class="legend">{escape(legend)}</p><table class="rows"><tr><th>id</th>'
               f"<th>question</th><th>answer and citations</th>")
    out += [f"<th>{escape(h)}</th>" for _, h, _ in columns]
    out.append("<th>ms</th></tr>")
    for row in rows:
        m = row.get("metrics", {})
        cells = "".join(_cell(m.get(key), rule) for key, _, rule in columns)
        total = row.get("latency_ms", {}).get("total")
        out.append(f'<tr><td>{escape(str(row["id"]))}</td><td>{escape(row["question"])}</td>'
                   f"<td>{_answer_html(row)}</td>{cells}"
                   f'<td class="num">{"" if total is None else f"{total:.0f}"}</td></tr>')
    out.append("</table>")
    if report.get("warnings"):
        out.append("<h2>Warnings</h2><ul>")
        out += [f'<li class="warn">{escape(w)}</li>' for w in report["warnings"]]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out)


def write_reports(report: dict, out_dir: str | Path, title: str = "articlechat evaluation") -> dict[str, Path]:
    """Write ``report.json`` and ``report.html`` into ``out_dir`` (created); return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "report.json", "html": out / "report.html"}
    paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["html"].write_text(render_html(report, title), encoding="utf-8")
    return paths
