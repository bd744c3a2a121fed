"""What ``answer`` needs to know: ``ChatConfig`` (with the store's ``StoreConfig`` and an ``LLMConfig``).

The edge (``app.settings``) builds it from ``RAG_*`` settings; nothing in ``chat`` reads the environment.
The defaults work offline on a fresh clone.

>>> ChatConfig(generator="extractive").top_k
5
>>> ChatConfig(generator="gpt")
Traceback (most recent call last):
...
ValueError: ChatConfig.generator must be one of local, openai, extractive; got 'gpt'
>>> LLMConfig(api_key="sk-secret")
LLMConfig(model_path=PosixPath('models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf'), threads=2, context=2048, max_tokens=160, base_url='', model='', timeout_s=60.0, temperature=0.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vectorstore.config import StoreConfig

__all__ = ["ChatConfig", "LLMConfig", "GENERATORS"]

GENERATORS = ("local", "openai", "extractive")
_MASK = "**********"


def _at_least(owner: str, name: str, value: object, low: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low:
        raise ValueError(f"{owner}.{name} must be a number >= {low}, got {value!r}")


@dataclass(frozen=True)
class LLMConfig:
    """The language model: a local GGUF run in a supervised child, or an OpenAI-compatible server."""

    model_path: Path = Path("models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    threads: int = 2
    context: int = 2048
    max_tokens: int = 160
    base_url: str = ""  # the OpenAI-compatible server of the ``openai`` generator
    model: str = ""
    api_key: str = field(default="", repr=False)  # never shown: repr, messages (``ChatConfig.redact``)
    timeout_s: float = 60.0
    temperature: float = 0.0  # 0: the same evidence gives the same answer

    def __post_init__(self) -> None:
        object.__setattr__(self, "model_path", Path(self.model_path))
        if isinstance(self.temperature, bool) or not isinstance(self.temperature, (int, float)) \
                or not 0 <= self.temperature <= 2:
            raise ValueError(f"LLMConfig.temperature must be between 0 and 2, got {self.temperature!r}")
        for name, low in (("threads", 1), ("context", 512), ("max_tokens", 16), ("timeout_s", 0.001)):
            _at_least("LLMConfig", name, getattr(self, name), low)


@dataclass(frozen=True)
class ChatConfig:
    """Everything ``answer`` uses: the store, the embedders, retrieval depth, the generator and its model."""

    store: StoreConfig = StoreConfig()
    embed_model_path: str = ""  # MiniLM's folder; "" = the installed package's
    embed_threads: int = 2
    query_embedder: str = "int8"  # the build that embeds questions: int8 (ONNX) or fp32
    top_k: int = 5
    generator: str = "local"
    llm: LLMConfig = LLMConfig()
    max_question_chars: int = 2000
    # Translate questions in Vietnamese or Chinese into English for the model, and its verified answer back
    # (chat.multilingual).  Off: the local 1.5B model's translations changed names and subjects in tests.
    translate: bool = False

    def __post_init__(self) -> None:
        if self.generator not in GENERATORS:
            raise ValueError(f"ChatConfig.generator must be one of {', '.join(GENERATORS)}; got {self.generator!r}")
        if self.query_embedder not in ("int8", "fp32"):
            raise ValueError(f"ChatConfig.query_embedder must be int8 or fp32, got {self.query_embedder!r}")
        for name, low in (("embed_threads", 1), ("top_k", 1), ("max_question_chars", 10)):
            _at_least("ChatConfig", name, getattr(self, name), low)

    def redact(self, text: str) -> str:
        """``text`` with the API key masked (for messages built from a server's errors, which may echo it)."""
        return text.replace(self.llm.api_key, _MASK) if self.llm.api_key else text
