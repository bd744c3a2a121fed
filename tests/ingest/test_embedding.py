"""ingest.embedding: how a batch is shared among the embedding children."""

from __future__ import annotations

import pytest

from ingest.embedding import parts_by_length, embed_chunks


@pytest.mark.parametrize("n", [1, 2, 3])
def test_parts_deal_every_text_once_and_evenly_by_length(n):
    texts = ["x" * k for k in (5, 1, 9, 3, 7, 2, 8)]
    parts = parts_by_length(texts, n)
    assert sorted(j for part in parts for j in part) == list(range(len(texts)))
    assert len(parts) == min(n, len(texts)) and max(map(len, parts)) - min(map(len, parts)) <= 1
    chars = [sum(len(texts[j]) for j in part) for part in parts]
    assert max(chars) - min(chars) <= 9  # dealt in order of length: no part gets all the long ones
    assert all([len(texts[j]) for j in part] == sorted(len(texts[j]) for j in part) for part in parts)


def test_parts_of_fewer_texts_than_children_leave_no_empty_part():
    assert parts_by_length(["a"], 2) == [[0]] and parts_by_length([], 2) == []


def test_embed_chunks_gives_the_late_vectors_of_minilm(embedder):
    import numpy as np

    text = "Hanoi is the capital. Haiphong is a port."
    vectors, sentences = embed_chunks(embedder, [text], [[(0, 21), (22, len(text))]])
    assert len(vectors) == 1 and sentences[0].shape == (2, 384)
    assert np.allclose(vectors[0], embedder.get_text_embedding(text), atol=1e-5)
    assert not np.allclose(sentences[0][0], sentences[0][1], atol=1e-2)  # each sentence its own vector


def test_an_embedding_child_imports_torch_and_minilm_only():
    """What a child of `rag ingest` imports: the `rag` script's module (spawn imports it again), this
    module, and MiniLM with its first vector; the package inits load their re-exports lazily."""
    from tests.conftest import python_json
    from vectorstore.embed import default_model_path

    code = (
        "import json, os, sys\n"
        "import app.cli, ingest.embedding as E\n"
        f"E._child_init(os.getppid(), {str(default_model_path())!r}, 1, 32)\n"  # as the pool starts a child
        "v, s = E._child_embed(['Hi there. Bye now.'], [[(0, 9), (10, 18)]])\n"
        "print(json.dumps({'failure': E._child_failure, 'shapes': [len(v[0]), list(s[0].shape)], 'heavy': sorted(\n"
        "    m for m in ('llama_index', 'chromadb', 'nltk', 'gradio', 'transformers') if m in sys.modules)}))\n"
    )
    assert python_json(code) == {"failure": "", "shapes": [384, [2, 384]], "heavy": []}


def test_package_inits_still_re_export_their_names():
    import chat
    import ingest
    import vectorstore
    from chat.answer import answer as answer_fn
    from ingest.pipeline import ingest as ingest_fn
    from vectorstore.retrieve import retrieve as retrieve_fn

    # a submodule named like a re-export (chat.answer, vectorstore.retrieve) never hides the function
    assert chat.answer is answer_fn and ingest.ingest is ingest_fn and vectorstore.retrieve is retrieve_fn
    for package in (chat, ingest, vectorstore):
        assert all(getattr(package, name) is not None for name in package.__all__)
        assert set(package.__all__) <= set(dir(package))
    with pytest.raises(AttributeError, match="'vectorstore' has no attribute 'nothing_here'"):
        vectorstore.nothing_here  # noqa: B018
