"""The value objects refuse spans that cannot be right."""

from __future__ import annotations

import dataclasses

import pytest

from chat.types import Answer, Citation
from vectorstore.types import Chunk, Document, Hit


def test_spans_must_match_their_text_length():
    with pytest.raises(ValueError, match="length"):
        Chunk("id", "a.txt", 0, 3, "four")
    with pytest.raises(ValueError, match="bad span"):
        Hit("a.txt", 5, 2, "", 1.0)
    with pytest.raises(ValueError, match="marker"):
        Citation(0, "a.txt", 0, 1, "x")


def test_frozen_and_json_ready():
    a = Answer("t [1]", [Citation(1, "a.txt", 0, 1, "t")], False, [Hit("a.txt", 0, 1, "t", 0.5)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.text = "other"  # type: ignore[misc]
    d = a.to_dict()
    assert d["citations"][0] == {"marker": 1, "source": "a.txt", "start": 0, "end": 1, "quote": "t"}


def test_document_hash_is_of_its_text():
    assert Document("a", "x").sha256 == Document("b", "x").sha256 != Document("a", "y").sha256
    with pytest.raises(ValueError, match="empty source"):
        Document("", "x")
