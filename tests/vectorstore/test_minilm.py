"""The plain-torch MiniLM must give sentence-transformers' vectors, and start without transformers."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from tests.conftest import python_json
from vectorstore.embed import default_model_path
from vectorstore.minilm import DIMENSION, MiniLM, model_config

TEXTS = [
    "Which Vietnamese exports did China agree to license?",
    "China agreed to license Vietnamese exports such as chili and passion fruit.",
    "",  # no tokens but [CLS] and [SEP]
    "Ngắn.",  # short, and not English
    "The two sides signed 45 cooperation documents. " * 60,  # ~600 word pieces: cut at 256 tokens
]


@pytest.fixture(scope="module")
def model():
    return MiniLM(default_model_path())


def test_vectors_are_sentence_transformers_own(model):
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(default_model_path()), device="cpu", local_files_only=True)
    want = reference.encode(TEXTS, batch_size=2, normalize_embeddings=True, show_progress_bar=False)
    got = model.encode(TEXTS, batch_size=2)  # batches of mixed lengths: padding must not leak in
    assert got.shape == (len(TEXTS), DIMENSION) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    cosines = (got * want).sum(1)
    assert cosines.min() > 0.99999, cosines


def test_late_vectors_agree_with_encode(model):
    text = "China agreed to license chili exports. The author is a research fellow."
    (vector, sentences), = model.encode_late([text], [[(0, 38), (39, len(text))]])
    assert float(vector @ model.encode([text])[0]) > 0.99999
    assert sentences.shape == (2, DIMENSION)
    assert float(sentences[0] @ sentences[1]) < 0.9  # each sentence has its own vector
    with pytest.raises(ValueError, match="2 texts but 1 span lists"):
        model.encode_late(["a", "b"], [[(0, 1)]])


def test_bad_folders_and_values_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="config.json"):
        model_config(tmp_path)
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(default_model_path() / name, tmp_path)
    (tmp_path / "model.safetensors").write_bytes(b"not weights")
    with pytest.raises(ValueError, match="model.safetensors"):
        MiniLM(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps({**config, "model_type": "roberta"}))
    with pytest.raises(ValueError, match="model_type is 'roberta'"):
        model_config(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({k: v for k, v in config.items() if k != "num_hidden_layers"}))
    with pytest.raises(ValueError, match="num_hidden_layers is None"):
        model_config(tmp_path)
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ValueError, match="config.json: not a model config"):
        model_config(tmp_path)
    with pytest.raises(ValueError, match="threads must be >= 1, got 0"):
        MiniLM(default_model_path(), threads=0)


def test_batch_size_is_checked(model):
    with pytest.raises(ValueError, match="batch_size must be >= 1, got 0"):
        model.encode(["a"], batch_size=0)


def test_the_model_starts_without_transformers():
    """The point of this module: the first vector waits for torch only (sentence-transformers' imports cost ~5 s)."""
    code = (
        "import json, sys\n"
        "from vectorstore.embed import get_embedder\n"
        "v = get_embedder().get_text_embedding('hello')\n"
        "print(json.dumps({'n': len(v), 'heavy': sorted(m for m in ('transformers', 'sentence_transformers', "
        "'sklearn', 'scipy') if m in sys.modules)}))\n"
    )
    got = python_json(code)
    assert got == {"n": DIMENSION, "heavy": []}
