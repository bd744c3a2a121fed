"""all-MiniLM-L6-v2 in plain torch: ``tokenizer.json`` + ``model.safetensors`` → unit vectors.

The model is a 6-layer BERT encoder followed by mean pooling and L2 normalisation (its ``modules.json``).
Through sentence-transformers the first vector waits for transformers, scikit-learn and scipy to
import, several times torch's own import; here it waits for torch alone (docs/performance.md has the
figures).  Every big ``rag ingest`` starts a child that loads the model, and every in-process ingest
and ``make eval`` loads it too.  The vectors are sentence-transformers' own (cosine within rounding),
at the same speed (``tests/vectorstore/test_minilm.py`` checks them against it).

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    model = MiniLM(default_model_path())
    model.encode(["Hi there. Bye now."]).shape
    # → (1, 384)
    vector, sentences = model.encode_late(["Hi there. Bye now."], [[(0, 9), (10, 18)]])[0]
    sentences.shape
    # → (2, 384)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["MiniLM", "model_config", "mean_pool", "MAX_TOKENS", "DIMENSION"]

DIMENSION = 384
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length (sentence_bert_config.json), special tokens included
# What the forward pass below implements; any other config is refused by name rather than run wrong.
_EXPECTED = {"model_type": "bert", "hidden_act": "gelu", "hidden_size": DIMENSION,
             "position_embedding_type": "absolute"}


def model_config(folder: str | Path) -> dict[str, Any]:
    """The model's config.json, checked against what this module can run (errors name the file and value)."""
    folder = Path(folder)
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"no MiniLM model at {str(folder)!r} (expected a {name} there)")
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{folder / 'config.json'}: not a model config ({exc})") from None
    if not isinstance(config, dict):
        raise ValueError(f"{folder / 'config.json'}: not a model config (a JSON {type(config).__name__})")
    for key in ("num_hidden_layers", "num_attention_heads", "layer_norm_eps"):
        if not isinstance(config.get(key), (int, float)):
            raise ValueError(f"{folder / 'config.json'}: {key} is {config.get(key)!r}; expected a number")
    for key, want in _EXPECTED.items():
        got = config.get(key, "absolute" if key == "position_embedding_type" else None)
        if got != want:
            raise ValueError(f"{folder / 'config.json'}: {key} is {got!r}; this encoder runs {want!r} only")
    return config


class MiniLM:
    """The encoder, its weights and tokenizer, loaded once; ``threads`` bounds torch's intra-op pool."""

    def __init__(self, folder: str | Path, threads: int = 2) -> None:
        import torch
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads!r}")
        self.folder = Path(folder)
        config = model_config(self.folder)
        # Unbounded intra-op threads make concurrent queries ~30x slower on 2 cores.
        torch.set_num_threads(threads)
        self._layers = int(config["num_hidden_layers"])
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config["layer_norm_eps"])
        try:
            self._w = load_file(str(self.folder / "model.safetensors"))
        except Exception as exc:  # safetensors raises its own error types, named differently per version
            raise ValueError(f"{self.folder / 'model.safetensors'}: not readable weights ({exc})") from None
        needed = ("embeddings.word_embeddings.weight", f"encoder.layer.{self._layers - 1}.output.dense.weight")
        missing = [k for k in needed if k not in self._w]
        if missing:
            raise ValueError(f"{self.folder / 'model.safetensors'}: no {missing[0]!r}; not a BERT encoder")
        self._tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.no_padding()  # padded per batch, in _states

    def _forward(self, ids: Any, mask: Any) -> Any:
        """Last hidden states ``(batch, tokens, 384)``: BERT's encoder as ``BertModel`` computes it (eval mode)."""
        import torch.nn.functional as F

        w, (batch, length), heads = self._w, ids.shape, self._heads

        def norm(x: Any, name: str) -> Any:
            return F.layer_norm(x, (x.shape[-1],), w[name + ".weight"], w[name + ".bias"], self._eps)

        def dense(x: Any, name: str) -> Any:
            return F.linear(x, w[name + ".weight"], w[name + ".bias"])

        x = (F.embedding(ids, w["embeddings.word_embeddings.weight"])
             + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])  # one text per row: all type 0
        x = norm(x, "embeddings.LayerNorm")
        attend = mask[:, None, None, :].bool()  # padding is never attended to
        width = x.shape[-1]
        for i in range(self._layers):
            p = f"encoder.layer.{i}."
            q, k, v = (dense(x, p + f"attention.self.{n}").view(batch, length, heads, -1).transpose(1, 2)
                       for n in ("query", "key", "value"))
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=attend).transpose(1, 2).reshape(batch, length, width)
            x = norm(x + dense(a, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            x = norm(x + dense(F.gelu(dense(x, p + "intermediate.dense")), p + "output.dense"), p + "output.LayerNorm")
        return x

    def _states(self, texts: list[str], batch_size: int) -> Iterator[tuple[list[int], Any, Any, Any]]:
        """``(indices, states, mask, offsets)`` per batch, as numpy, texts taken in order of token count.

        Every batch is padded to its longest text, so like lengths together pad least.  By token count,
        not characters as sentence-transformers sorts: on the 10k bench chunks the padded batches hold
        1.09M token positions against 1.32M by characters (1.06M real tokens).
        """
        import numpy as np
        import torch

        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size!r}")
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda j: len(encodings[j].ids))
        with torch.inference_mode():
            for b in range(0, len(order), batch_size):
                part = order[b : b + batch_size]
                width = max(len(encodings[j].ids) for j in part)
                ids = np.zeros((len(part), width), dtype=np.int64)  # padding: masked out below
                mask = np.zeros((len(part), width), dtype=bool)
                offsets = np.zeros((len(part), width, 2), dtype=np.int64)
                for row, j in enumerate(part):
                    e, n = encodings[j], len(encodings[j].ids)
                    ids[row, :n], mask[row, :n], offsets[row, :n] = e.ids, True, e.offsets
                states = self._forward(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
                yield part, states, mask, offsets

    def encode(self, texts: list[str], batch_size: int = 32) -> Any:
        """``(len(texts), 384)`` float32 unit vectors: the mean of each text's token states."""
        import numpy as np

        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for part, states, mask, _ in self._states(texts, batch_size):
            out[part] = mean_pool(states, mask)
        return out

    def encode_late(
        self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int = 32
    ) -> list[tuple[Any, Any]]:
        """Per text, ``(vector, span_vectors)`` from one pass: the text's usual vector and one per span.

        ``spans[i]`` are character spans of ``texts[i]``.  A span's vector is the mean of the states of
        the tokens inside it, which were computed with the whole text in view ("late chunking"); a span
        holding no token gets the text's vector.  Arrays are float32 unit vectors.
        """
        import numpy as np

        if len(spans) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(spans)} span lists")
        out: list[tuple[Any, Any]] = [(None, None)] * len(texts)
        for part, states, masks, offsets in self._states(texts, batch_size):
            for row, j in enumerate(part):
                mask, state, (lo, hi) = masks[row], states[row], offsets[row].T
                vector = _unit(state[mask].mean(0))
                real = mask & (hi > lo)  # special tokens and padding cover no characters
                pooled = []
                for s, e in spans[j]:
                    inside = real & (lo >= s) & (hi <= e)
                    pooled.append(_unit(state[inside].mean(0)) if inside.any() else vector)
                out[j] = (vector, np.array(pooled, dtype=np.float32).reshape(len(pooled), DIMENSION))
        return out


def mean_pool(states: Any, mask: Any) -> Any:
    """``(batch, 384)`` unit vectors: each row's mean token state over its mask (MiniLM's pooling, both builds)."""
    import numpy as np

    m = mask[..., None].astype(np.float32)
    pooled = (states * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    return (pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)).astype(np.float32)


def _unit(v: Any) -> Any:
    import numpy as np

    return (v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32)
