"""``answer(question)`` → ``Answer``: rewrite follow-ups, retrieve, tidy what was typed, gather evidence,
decide refusal, generate, ground, verify.  ``answer_stream`` is the same with the text streamed as it is written.

Refusal is decided from the evidence, before any generator runs: when no sentence states what the
question asks about (``chat.answerable``), the reply says so and lists the nearest passages as hits.
A question whose premise the evidence contradicts ("Why did the Assembly reject …?" when it approved)
gets the passage that says otherwise, cited, instead of an answer that accepts it.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    a = answer("Which Vietnamese exports did China agree to license?")
    a.citations[0].quote
    # → '… chili and passion fruit …'
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from chat import overview
from chat.answerable import CANDIDATES, answering
from chat.cite import cite
from chat.clock import Clock, OnStage
from chat.complete import completed
from chat.config import ChatConfig
from chat.errors import LLMUnavailable
from chat.evidence import Evidence, fused, gather_evidence
from chat.followup import meant, standalone_question
from chat.generate import NOT_FOUND, ExtractiveGenerator, Generator, LLMGenerator, get_generator
from chat.ground import ground
from chat.kinds import asks, holds
from chat.multilingual import REFUSALS, in_their_language, to_english
from chat.typed import tidied
from chat.types import Answer
from chat.validate import validate_question
from chat.verify import contradicts
from vectorstore.e5 import get_e5
from vectorstore.embed import get_embedder, get_query_embedder
from vectorstore.retrieve import corpus_vocabulary, passages, retrieve
from vectorstore.store import Store, StoreError, open_store
from vectorstore.text import first_line_title, language

__all__ = ["answer", "answer_stream", "Engine", "get_engine", "validate_question"]

PREMISE_CHECKED = 3  # answering sentences a question's premise is held against


@dataclass
class Engine:
    """The loaded pieces behind ``answer`` (built once per config).

    ``embedder`` embeds documents (ingest, uploads); ``query_embedder`` everything at answer time that
    is English; ``e5`` what is not (``chat.multilingual``).
    """

    config: ChatConfig
    store: Store
    embedder: Any
    query_embedder: Any
    e5: Any

    def doc_text(self, source: str) -> str:
        """Stored text of ``source`` (cached: citations of one answer often share a document)."""
        return _cached_text(self.store, self.store.revision(), source)


@functools.lru_cache(maxsize=64)
def _cached_text(store: Store, revision: str, source: str) -> str:
    return store.document_text(source)


_engines: dict[ChatConfig, Engine] = {}
_engines_lock = threading.Lock()


def get_engine(config: ChatConfig | None = None) -> Engine:
    """The shared ``Engine`` for ``config`` (default: ``ChatConfig()``, the offline defaults)."""
    key = config or ChatConfig()
    with _engines_lock:
        if key not in _engines:
            store = open_store(key.store)
            embedder = get_embedder(key.embed_model_path, key.embed_threads)
            query_embedder = get_query_embedder(key.query_embedder, key.embed_model_path, key.embed_threads)
            _engines[key] = Engine(key, store, embedder, query_embedder, get_e5(key.embed_threads))
        return _engines[key]


def _correction(q: str, hits: list, evidence: list[Evidence], engine: Engine, notice: str) -> Answer | None:
    """A cited correction when an answering sentence contradicts the question's premise, else None."""
    for ev in evidence[:PREMISE_CHECKED]:
        word = contradicts(q, ev.text, converse=False)
        if word:
            text, citations = cite(f"That is not what the articles say: {ev.text} [1]", [ev], engine.doc_text)
            if citations:
                why = f"The question assumes “{word}”; the cited passage says otherwise."
                return Answer(text=text, citations=citations, refused=False, hits=hits,
                              notice=(notice + " " if notice else "") + why, written_by=ExtractiveGenerator.name)
    return None


def _fallback_notice(exc: Exception, config: ChatConfig, name: str = "") -> str:
    """What the reader is told when a language model could not answer (secrets redacted: a server's
    message may echo what it was sent, such as an API key)."""
    if isinstance(exc, LLMUnavailable):
        why = str(exc)
        why = why[:1].upper() + why[1:]
    else:
        why = f"The {name} model failed ({type(exc).__name__}: {exc})"
    return config.redact(f"{why}. Answered with the extractive generator instead.")


def _refusal(question: str, hits: list, notice: str = "") -> Answer:
    text = REFUSALS.get(language(question), REFUSALS["en"]).format(question=question)
    return Answer(text=text, citations=[], refused=True, hits=hits, notice=notice)


def _joined(hits: list, more: list) -> list:
    """``hits``, then those of ``more`` that are not among them."""
    seen = {(h.source, h.start) for h in hits}
    return [*hits, *(h for h in more if (h.source, h.start) not in seen)]


def _gathered(query: str, hits: list, engine: Engine, gen: Any, top_k: int,
              clock: Clock) -> tuple[list[Evidence], str | None]:
    """The evidence sentences for ``query``, and its English translation (None if not made).  A question not
    in English, asked of a model, is also put into English by it: what that translation retrieves joins the
    hits, and each sentence's English score joins its ranking (e5 alone ranks English sentences poorly
    against a Vietnamese or Chinese question); the model is later asked the translation.  Whether a
    sentence answers is still judged against the question as asked."""
    foreign = language(query) != "en" or any(language(h.text) != "en" for h in hits)
    scorer = engine.e5 if foreign else engine.query_embedder  # MiniLM reads English only
    asks_model = isinstance(gen, LLMGenerator) and language(query) != "en"
    translation = clock.run("evidence", to_english, query, gen) if asks_model else None
    if translation is None:
        return clock.run("evidence", gather_evidence, query, hits, scorer), None
    more = clock.run("retrieval", retrieve, engine.store, engine.query_embedder, translation, k=top_k, e5=engine.e5)
    pool = _joined(hits, more)
    evidence = clock.run("evidence", gather_evidence, query, pool, scorer)
    english = clock.run("evidence", gather_evidence, translation, pool, engine.query_embedder)
    return fused(evidence, english), translation


def _overview(q: str, engine: Engine, gen: Generator, notice: str):
    """A request for what the articles are about: their opening sentences, shown (``extractive``) or
    given to the model as its evidence; an article counted past the library's end is refused, saying so."""
    try:
        evidence, more = overview.summarised(q, engine.store.sources(), engine.doc_text)
    except ValueError as exc:
        return Answer(text=f"I cannot summarise that: {exc}.", refused=True, notice=notice)
    notice = " ".join(n for n in (notice, more) if n)
    if not isinstance(gen, LLMGenerator):
        text, citations = cite(overview.extractive(evidence, engine.doc_text), evidence, engine.doc_text)
        shown = Answer(text, citations, refused=not citations, notice=notice, written_by=gen.name)
        return in_their_language(shown, q, gen, engine.query_embedder)  # says it cannot translate
    return engine, q, None, q, [], evidence, gen, notice, None


def _plan(question, history, generator, k, config, clock: Clock):
    """Everything before generation: a refusal ``Answer``, or what the generator needs."""
    cfg = config or ChatConfig()
    # Validate first: a bad question must cost nothing (no store opened, no model loaded or run).
    q = validate_question(question, cfg.max_question_chars)
    top_k = cfg.top_k if k is None else k
    if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    engine = get_engine(cfg)
    notice = ""
    try:
        gen = generator if isinstance(generator, Generator) else get_generator(generator or cfg.generator, cfg.llm)
    except LLMUnavailable as exc:
        gen, notice = ExtractiveGenerator(), _fallback_notice(exc, cfg)
    if engine.store.chunk_count() == 0:
        raise StoreError(f"the store at {engine.store.where} is empty: run `rag ingest` first")
    if overview.asked(q):  # "What are the articles about?": their openings, not the passages nearest its words
        return _overview(q, engine, gen, notice)
    # A question in another language is answered in English and translated (chat.multilingual).
    translate = cfg.translate and language(q) != "en" and isinstance(gen, LLMGenerator)
    english = to_english(q, gen) if translate else None
    asked = english or q
    query = standalone_question(asked, history, gen)
    asked = meant(asked, history)
    hits = clock.run("retrieval", retrieve, engine.store, engine.query_embedder, query, k=top_k, e5=engine.e5)
    if language(query) == "en":  # "who is vietnams president": the rules know names by their capitals
        texts = [h.text for h in hits]
        query, asked = tidied(query, texts), tidied(asked, texts)
    pool = hits  # the hits are shown as related; the pool is read for evidence
    if asks(query) == "author":  # a byline names no topic, so it seldom ranks: look in the pieces retrieved
        pool = _joined(hits, passages(engine.store, {h.source for h in hits}, functools.partial(holds, "author")))
    evidence, translation = _gathered(query, pool, engine, gen if english is None else None, top_k, clock)
    titles = {ev.source: first_line_title(engine.doc_text(ev.source)) for ev in evidence[:CANDIDATES]}
    evidence = clock.run("evidence", answering, query, evidence, engine.query_embedder,
                         asked=None if query == asked else asked, titles=titles,
                         vocabulary=corpus_vocabulary(engine.store), e5=engine.e5)
    if not evidence:
        return _refusal(q, hits, notice)
    correction = _correction(asked, hits, evidence, engine, notice)
    if correction is not None:
        return correction
    return engine, q, english, query, hits, evidence, gen, notice, translation


def _finish(engine: Engine, q: str, hits: list, evidence: list[Evidence], gen: Generator, raw: str, notice: str,
            clock: Clock) -> Answer:
    """Generated text → verified Answer (grounding LLM output first).

    The evidence was judged to answer the question before the model ran, so a model that replies
    ``NOT_IN_EVIDENCE``, or writes nothing that verifies, gets the answering passages shown instead.
    """
    if isinstance(gen, LLMGenerator):
        shown = evidence[: gen.max_evidence]
        text, citations = "", []
        if NOT_FOUND not in raw:
            grounded = clock.run("grounding", ground, raw, shown, engine.query_embedder)
            text, citations = cite(grounded, shown, engine.doc_text)
        if citations:
            text, citations = completed(q, text, citations, shown, engine.doc_text)
            return Answer(text=text, citations=citations, refused=False, hits=hits, notice=notice,
                          written_by=gen.name)
        why = "The model found no answer in" if NOT_FOUND in raw else "The model's answer could not be verified against"
        notice = (notice + " " if notice else "") + f"{why} the passages; showing the passages that answer it."
        gen = ExtractiveGenerator()
        raw = overview.extractive(evidence, engine.doc_text) if overview.asked(q) else gen.generate(q, evidence)
    text, citations = cite(raw, evidence, engine.doc_text)
    if not citations:
        return _refusal(q, hits, notice)
    return Answer(text=text, citations=citations, refused=False, hits=hits, notice=notice, written_by=gen.name)


def answer_stream(
    question: str,
    *,
    history: list | None = None,
    generator: str | Generator | None = None,
    k: int | None = None,
    config: ChatConfig | None = None,
    on_stage: OnStage | None = None,
) -> Iterator[str | Answer]:
    """Yield the answer text as it is generated, then the final verified ``Answer`` as the last item.

    The streamed text is the generator's raw draft; the final ``Answer`` is what survived verification
    (markers renumbered, unsupported sentences removed), so show that one once it arrives.
    ``on_stage(stage, seconds)`` is told how long each stage took: retrieval, evidence, generation,
    grounding (a stage may be reported more than once; add them up).
    """
    clock = Clock(on_stage)
    plan = _plan(question, history, generator, k, config, clock)
    if isinstance(plan, Answer):
        yield plan.text
        yield plan
        return
    engine, q, english, query, hits, evidence, gen, notice, translation = plan
    # What the model is asked: English, since what it writes is verified by rules that read English; for a
    # Vietnamese or Chinese question, the English translation that ranked the evidence (the small model
    # answers it better than the question as asked), else the question with the turn it leans on.
    ask = english or translation or (f"{query}\n(Answer in English.)" if language(q) != "en" else q)
    pieces: list[str] = []
    try:
        stream = iter(gen.stream(ask, evidence))
        while True:  # only the time spent producing each piece counts, not the reader's
            piece = clock.run("generation", next, stream, None)
            if piece is None:
                break
            pieces.append(piece)
            yield piece
    except Exception as exc:  # a server that drops mid-answer, a model child that dies: fall back, and say so
        if isinstance(gen, ExtractiveGenerator):
            raise
        notice = _fallback_notice(exc, engine.config, gen.name)
        gen = ExtractiveGenerator()
        pieces = [clock.run("generation", gen.generate, ask, evidence)]
    final = _finish(engine, english or q, hits, evidence, gen, "".join(pieces), notice, clock)
    yield in_their_language(final, q, gen, engine.query_embedder, engine.config.translate)


def answer(
    question: str,
    *,
    history: list | None = None,
    generator: str | Generator | None = None,
    k: int | None = None,
    config: ChatConfig | None = None,
    on_stage: OnStage | None = None,
) -> Answer:
    """Answer ``question`` from the ingested articles, every claim cited by an exact span.

    ``config`` says where the store is and which models to use (default ``ChatConfig()``); ``generator``
    and ``k`` override its generator and retrieval depth for this question.
    """
    final = None
    for final in answer_stream(question, history=history, generator=generator, k=k, config=config,
                               on_stage=on_stage):
        pass
    assert isinstance(final, Answer)
    return final
