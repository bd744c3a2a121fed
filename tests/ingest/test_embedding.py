"""ingest.embedding: how a batch is shared among the embedding children."""

from __future__ import annotations

import pytest

from ingest.embedding import _parts, embed_chunks


@pytest.mark.parametrize("n", [1, 2, 3])
def test_parts_deal_every_text_once_and_evenly_by_length(n):
    texts = ["x" * k for k in (5, 1, 9, 3, 7, 2, 8)]
    parts = _parts(texts, n)
    assert sorted(j for part in parts for j in part) == list(range(len(texts)))
    assert len(parts) == min(n, len(texts)) and max(map(len, parts)) - min(map(len, parts)) <= 1
    chars = [sum(len(texts[j]) for j in part) for part in parts]
    assert max(chars) - min(chars) <= 9  # dealt in order of length: no part gets all the long ones
    assert all([len(texts[j]) for j in part] == sorted(len(texts[j]) for j in part) for part in parts)


def test_parts_of_fewer_texts_than_children_leave_no_empty_part():
    assert _parts(["a"], 2) == [[0]] and _parts([], 2) == []


def test_embed_chunks_gives_the_late_vectors_of_minilm(embedder):
    import numpy as np

    text = "Hanoi is the capital. Haiphong is a port."
    vectors, sentences = embed_chunks(embedder, [text], [[(0, 21), (22, len(text))]])
    assert len(vectors) == 1 and sentences[0].shape == (2, 384)
    assert np.allclose(vectors[0], embedder.get_text_embedding(text), atol=1e-5)
    assert not np.allclose(sentences[0][0], sentences[0][1], atol=1e-2)  # each sentence its own vector
