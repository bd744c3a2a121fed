"""Keep only what the evidence states: check each generated sentence against the evidence it cites.

Two gates.  *Relevance*: a sentence's support is the best, over the evidence sentences it cites, of an
even mix of MiniLM cosine similarity and content-word overlap; below ``SUPPORT_MIN`` it is about
something else.  *Statement* (``chat.verify.check``): its numbers, names, polarity and the things it
names must be what the cited evidence says, so "begin by the end of 2027 [1]" under a passage saying
2025 is dropped however similar it is.  A sentence citing nothing, or citing evidence that fails either
gate (a small model miscounts its markers), is kept only when another passage supports it well
(``ATTACH_MIN``) and states it, and then gets that passage's marker.  So nothing is shown as cited fact
unless the evidence sentence it is shown under states it.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    ground("Chili and passion fruit [1]. Mars is red [1].", evidence, embedder)
    # → 'Chili and passion fruit [1].'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from chat.cite import MARKER
from chat.evidence import Evidence, lexical_overlap
from chat.vectors import cosine, embed_cached
from chat.verify import check
from vectorstore.spans import sentence_spans
from vectorstore.text import stems

__all__ = ["ground", "SUPPORT_MIN", "ATTACH_MIN"]

SUPPORT_MIN = 0.3  # relevance only: verify.check judges the facts (chosen on eval/claims.jsonl dev)
ATTACH_MIN = 0.6
_TRAILING_MARKERS = re.compile(r"^((?:\s?\[\d{1,3}\])+)")


def _claims(text: str) -> list[tuple[str, list[int]]]:
    """(sentence without markers, cited numbers) for each sentence, markers glued to the sentence before."""
    out: list[tuple[str, list[int]]] = []
    spans = sentence_spans(text)
    for s, e in spans:
        body = text[s:e]
        # "… fruit. [1]" splits as "… fruit." and "[1]": give leading markers back to the previous sentence.
        lead = _TRAILING_MARKERS.match(body)
        if lead and out:
            out[-1] = (out[-1][0], out[-1][1] + [int(n) for n in MARKER.findall(lead.group(1))])
            body = body[lead.end() :].strip()
            if not body:
                continue
        nums = [int(n) for n in MARKER.findall(body)]
        out.append((MARKER.sub("", body).strip(), nums))
    return out


def _with_markers(claim: str, numbers: list[int]) -> str:
    """``claim`` with its markers before the closing punctuation: "… fruit [1]." """
    marks = "".join(f"[{n}]" for n in numbers)
    if claim[-1:] in ".!?":
        return f"{claim[:-1].rstrip()} {marks}{claim[-1]}"
    return f"{claim} {marks}"


def _support(claim: str, ev: Evidence, vec: list[float], ev_vec: list[float]) -> float:
    return 0.5 * cosine(vec, ev_vec) + 0.5 * lexical_overlap(claim, ev.text)


def ground(text: str, evidence: Sequence[Evidence], embedder: Any) -> str:
    """``text`` with unsupported sentences removed and well-supported uncited ones given a marker."""
    claims = [(c, nums) for c, nums in _claims(text) if c and stems(c)]
    if not claims or not evidence:
        return ""
    claim_vecs = embedder.get_text_embedding_batch([c for c, _ in claims])
    # The evidence sentences were embedded when they were scored: reuse those vectors.
    ev_vecs = embed_cached(embedder, [ev.text for ev in evidence])
    kept = []
    for (claim, nums), vec in zip(claims, claim_vecs):
        valid = sorted({n for n in nums if 1 <= n <= len(evidence)})
        if valid:
            best = max(_support(claim, evidence[n - 1], vec, ev_vecs[n - 1]) for n in valid)
            if best >= SUPPORT_MIN and check(claim, [evidence[n - 1].text for n in valid], embedder) is None:
                kept.append(_with_markers(claim, valid))
                continue
        # Uncited, or citing a passage that does not state it (a small model often miscounts its markers):
        # it stands only on one passage that supports it well and states it, under that passage's marker.
        scores = [_support(claim, ev, vec, ev_vecs[i]) for i, ev in enumerate(evidence)]
        for i in sorted(range(len(scores)), key=lambda i: -scores[i]):
            if i + 1 in valid:
                continue
            if scores[i] < ATTACH_MIN:
                break
            if check(claim, [evidence[i].text], embedder) is None:
                kept.append(_with_markers(claim, [i + 1]))
                break
    return " ".join(kept)
