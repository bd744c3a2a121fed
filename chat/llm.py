"""Language models behind the ``local`` and ``openai`` generators, as llama-index LLMs.

Both speak the OpenAI chat API: ``openai`` to any compatible server (OpenAI, vLLM, Ollama, LM Studio,
llama.cpp's server), ``local`` to our own child process running the GGUF file with llama-cpp-python
(``chat.localmodel``), so a crash in llama.cpp ends that process, not ours.  The child formats Qwen's
ChatML; the fixed system prompt comes first so llama.cpp reuses its KV cache from one question to the
next.

>>> chatml([ChatMessage(role="user", content="Hi")])
'<|im_start|>user\\nHi<|im_end|>\\n<|im_start|>assistant\\n'
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from typing import Any

from llama_index.core.llms import ChatMessage

from chat.errors import LLMStopped, LLMUnavailable
from chat.localmodel import LocalModel, ModelSpec, local_model
from chat.config import LLMConfig

__all__ = ["LLMUnavailable", "LLMStopped", "chatml", "openai_llm", "local_model_for", "lock_for", "ChatMessage",
           "STOP", "SAMPLING"]

STOP = ["<|im_end|>", "<|endoftext|>", "<|im_start|>"]
# Greedy and slightly discouraged from repeating itself: what llama.cpp's server accepts beyond OpenAI's fields.
SAMPLING = {"top_k": 1, "repeat_penalty": 1.05}


def chatml(messages: Sequence[ChatMessage]) -> str:
    """Messages in Qwen's ChatML, ending with the open assistant turn (what the child's chatml format writes)."""
    out = [f"<|im_start|>{m.role.value}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(out) + "<|im_start|>assistant\n"


@functools.lru_cache(maxsize=8)
def openai_llm(base_url: str, model: str, api_key: str, max_tokens: int, timeout: float, local: bool = False,
               temperature: float = 0.0) -> Any:
    """A llama-index client for an OpenAI-compatible server (``local``: our own child, no retries)."""
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
        temperature=temperature,
        max_tokens=max_tokens,
        timeout=timeout,
        # A retry against a child that just died only delays the fallback; the next question restarts it.
        max_retries=0 if local else 1,
        context_window=8192,
        # Greedy (top_k 1) unless a temperature asks for sampling.
        additional_kwargs={"extra_body": {**SAMPLING, **({"top_k": 40} if temperature > 0 else {})}, "stop": STOP}
        if local else {},
        # No idle connections to our own child: one that was restarted leaves none stale in a pool.
        **({"http_client": _no_keepalive(timeout)} if local else {}),
    )


def _no_keepalive(timeout: float) -> Any:
    import httpx

    return httpx.Client(timeout=timeout, limits=httpx.Limits(max_keepalive_connections=0))


def local_model_for(llm: LLMConfig, system: str) -> LocalModel:
    """The supervised local model of this process for ``llm`` (started on first ``url()``)."""
    spec = ModelSpec(path=llm.model_path, threads=llm.threads, context=llm.context, system=system)
    return local_model(spec)


_load_lock = threading.Lock()
_locks: dict[object, threading.Lock] = {}


def lock_for(key: object) -> threading.Lock:
    """A lock per model: one llama.cpp context answers one prompt at a time, in order of arrival."""
    with _load_lock:
        return _locks.setdefault(key, threading.Lock())
