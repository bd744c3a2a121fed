"""The two MiniLM builds: fp32 (documents) and int8 ONNX (answer time) must give the same vectors."""

from __future__ import annotations

import math

import pytest

from tests.conftest import python_json
from vectorstore.embed import Int8MiniLMEmbedding, get_query_embedder
from vectorstore.minilm import DIMENSION

TEXTS = [
    "Which Vietnamese exports did China agree to license?",
    "China agreed to license Vietnamese exports such as chili and passion fruit.",
    "The two sides signed 45 cooperation documents.",
    "Bilateral trade has surpassed $200 billion for four consecutive years.",
    "Ngắn.",  # short, and not English
]


@pytest.fixture(scope="module")
def int8():
    return get_query_embedder("int8")


def _cos(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b))


def test_int8_vectors_agree_with_fp32(embedder, int8):
    fp32 = embedder.get_text_embedding_batch(TEXTS)
    q8 = int8.get_text_embedding_batch(TEXTS)
    for text, a, b in zip(TEXTS, fp32, q8):
        assert len(b) == DIMENSION
        assert math.isclose(math.sqrt(_cos(b, b)), 1.0, abs_tol=1e-4)
        assert _cos(a, b) > 0.99, text
    # The question is nearest its own answer sentence under either build.
    assert max(range(1, 4), key=lambda i: _cos(q8[0], q8[i])) == 1


def test_batches_keep_the_callers_order(int8):
    """The batch is embedded sorted by length; the vectors must come back in the order given."""
    one_by_one = [int8.get_query_embedding(t) for t in TEXTS]
    batch = int8.get_text_embedding_batch(TEXTS)
    for a, b in zip(one_by_one, batch):
        assert _cos(a, b) > 0.9999


def test_long_text_is_truncated_not_rejected(int8):
    assert len(int8.get_text_embedding("word " * 2000)) == DIMENSION


def test_unknown_query_embedder_is_named():
    with pytest.raises(ValueError, match="'fp16'"):
        get_query_embedder("fp16")


def test_fp32_query_embedder_is_the_document_embedder(embedder):
    assert get_query_embedder("fp32") is embedder


def test_bad_model_files_are_named(tmp_path):
    missing = tmp_path / "nope.onnx"
    with pytest.raises(FileNotFoundError, match="nope.onnx"):
        Int8MiniLMEmbedding(onnx_path=missing)
    with pytest.raises(ValueError, match="threads"):
        Int8MiniLMEmbedding(threads=0)
    # A file that is there but is not the model: refused by its sha256 before onnxruntime reads it.
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(RuntimeError, match="model.onnx"):
        Int8MiniLMEmbedding(onnx_path=fake).get_query_embedding("hi")


def test_answering_never_imports_torch(corpus_settings):
    """`rag ask` starts fast because answer time runs on onnxruntime: torch stays unimported."""
    code = (
        "import json, sys; from pathlib import Path\n"
        "from app.settings import Settings\n"
        "from chat.answer import answer\n"
        f"s = Settings(_env_file=None, chroma_path=Path({str(corpus_settings.chroma_path)!r}), "
        "collection='articles', generator='extractive')\n"
        "a = answer('Which Vietnamese exports did China agree to license?', config=s.chat_config())\n"
        "print(json.dumps({'torch': 'torch' in sys.modules, 'cited': [c.quote for c in a.citations]}))\n"
    )
    got = python_json(code)
    assert got["torch"] is False
    assert any("passion fruit" in q for q in got["cited"])



def test_late_vectors_come_from_one_pass_over_the_chunk(embedder):
    """``embed_late``: the chunk's own vector is the usual one; each sentence gets its own vector."""
    chunk = ("China agreed to license Vietnamese exports such as chili and passion fruit. "
             "The author is a research fellow at the Guangxi Academy of Social Sciences.")
    spans = [(0, 76), (77, len(chunk)), (0, 0)]  # two sentences, and an empty span (no tokens)
    (vector, sentences), = embedder.embed_late([chunk], [spans])
    assert sentences.shape == (3, DIMENSION)
    assert _cos(vector.tolist(), embedder.get_text_embedding(chunk)) > 0.9999
    assert all(math.isclose(_cos(v, v), 1.0, abs_tol=1e-4) for v in sentences.tolist())
    assert _cos(sentences[2].tolist(), vector.tolist()) > 0.9999  # no tokens inside: the chunk's vector
    # Each sentence's vector is nearer a question about it than the other sentence's vector is.
    fruit, author = embedder.get_text_embedding_batch(["Which fruit exports were licensed?", "Who wrote it?"])
    assert _cos(sentences[0].tolist(), fruit) > _cos(sentences[1].tolist(), fruit)
    assert _cos(sentences[1].tolist(), author) > _cos(sentences[0].tolist(), author)


def test_late_spans_must_match_the_texts(embedder):
    with pytest.raises(ValueError, match="2 texts but 1 span lists"):
        embedder.embed_late(["a b", "c d"], [[(0, 1)]])
