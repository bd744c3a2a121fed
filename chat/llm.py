"""Language models behind the ``local`` and ``openai`` generators, as llama-index LLMs.

``local`` runs a GGUF file on the CPU with llama-cpp-python through ``llama-index-llms-llama-cpp``;
we format Qwen's ChatML ourselves.  ``openai`` talks to any OpenAI-compatible server (OpenAI, vLLM,
Ollama, LM Studio, llama.cpp's server).  A model is loaded once per process and reused; the fixed
system prompt comes first so llama.cpp reuses its KV cache from one question to the next.

>>> chatml([ChatMessage(role="user", content="Hi")])
'<|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\n'
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from llama_index.core.llms import ChatMessage

from vectorstore.settings import Settings

__all__ = ["LLMUnavailable", "chatml", "load_llm", "lock_for", "ChatMessage", "STOP"]

STOP = ["<|im_end|>", "<|endoftext|>", "<|im_start|>"]


class LLMUnavailable(RuntimeError):
    """The requested language model cannot be used here; the message says why and what to do."""


def chatml(messages: Sequence[ChatMessage]) -> str:
    """Messages in Qwen's ChatML, ending with the open assistant turn."""
    out = [f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(out) + "<|im_start|>assistant\n"


def _completion_to_prompt(text: str) -> str:
    return chatml([ChatMessage(role="user", content=text)])


@functools.lru_cache(maxsize=2)
def _local(path: str, threads: int, context: int, max_tokens: int) -> Any:
    if not Path(path).is_file():
        # Never let llama-index fall back to its model_url download: say how to get the file instead.
        raise LLMUnavailable(f"no local model file at {path!r}: run `make model` (or set RAG_LLM_MODEL_PATH)")
    try:
        from llama_index.llms.llama_cpp import LlamaCPP
    except ImportError as exc:
        raise LLMUnavailable(f"llama-cpp-python is not installed ({exc}): run `make install`") from exc
    return LlamaCPP(
        model_path=path,
        temperature=0.0,
        max_new_tokens=max_tokens,
        context_window=context,
        messages_to_prompt=chatml,
        completion_to_prompt=_completion_to_prompt,
        generate_kwargs={"stop": STOP, "top_k": 1, "repeat_penalty": 1.05},
        model_kwargs={"n_threads": threads, "n_batch": 512, "verbose": False},
        verbose=False,
    )


@functools.lru_cache(maxsize=4)
def _openai(base_url: str, model: str, api_key: str, max_tokens: int, timeout: float) -> Any:
    if not base_url or not model:
        raise LLMUnavailable("the openai generator needs RAG_LLM_BASE_URL and RAG_LLM_MODEL")
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise LLMUnavailable(f"llama-index-llms-openai-like is not installed ({exc})") from exc
    return OpenAILike(
        model=model,
        api_base=base_url,
        api_key=api_key or "not-needed",  # local servers accept anything; the client insists on a value
        is_chat_model=True,
        temperature=0.0,
        max_tokens=max_tokens,
        timeout=timeout,
        max_retries=1,
        context_window=8192,
    )


_load_lock = threading.Lock()
_locks: dict[int, threading.Lock] = {}


def lock_for(llm: Any) -> threading.Lock:
    """A lock per loaded model: one llama.cpp context must not run two prompts at once."""
    with _load_lock:
        return _locks.setdefault(id(llm), threading.Lock())


def load_llm(kind: str, settings: Settings) -> Any:
    """The llama-index LLM for generator ``kind`` (``local`` or ``openai``), loaded once per process."""
    with _load_lock:
        if kind == "local":
            return _local(str(settings.llm_model_path), settings.llm_threads, settings.llm_context, settings.llm_max_tokens)
        if kind == "openai":
            return _openai(
                settings.llm_base_url.rstrip("/"),
                settings.llm_model,
                settings.llm_api_key.get_secret_value(),
                settings.llm_max_tokens,
                settings.llm_timeout_s,
            )
    raise ValueError(f"no language model for generator {kind!r}")
