"""Settings from the environment and ``.env``, every name prefixed ``RAG_`` (see ``.env.example``).

Read once, here at the edge (CLI, web app, bench), and passed down as explicit config objects:
``chat_config()`` for ``chat.answer``, ``store_config()`` for ``vectorstore.open_store``; the ingest
knobs go to ``ingest.ingest`` as arguments.  Nothing below ``app`` reads the environment.

>>> s = Settings(_env_file=None, top_k=3, generator="extractive", chroma_path=".rag/chroma")
>>> s.chat_config().top_k, s.chat_config().store.where
(3, '.rag/chroma')
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from chat.config import GENERATORS, ChatConfig, LLMConfig
from vectorstore.config import StoreConfig

__all__ = ["Settings", "GENERATORS", "SECRET_FIELDS"]

SECRET_FIELDS = ("auth", "llm_api_key", "api_key")  # never printed: repr, JSON, errors, UI all show '**********'
_MASK = "**********"


class Settings(BaseSettings):
    """Every knob of articlechat; the defaults work offline on a fresh clone."""

    model_config = SettingsConfigDict(env_prefix="RAG_", env_file=".env", extra="ignore")

    corpus_dir: Path = Path("data/articles")
    chroma_path: Path = Path(".rag/chroma")
    chroma_host: str = ""
    chroma_port: int = Field(8000, ge=1, le=65535)
    chroma_timeout_s: float = Field(30.0, gt=0, le=3600)
    collection: str = "articles"
    embed_model_path: str = ""
    embed_threads: int = Field(2, ge=1, le=64)
    # The build that embeds at answer time (documents are always fp32): see vectorstore/embed.py.
    query_embedder: Literal["int8", "fp32"] = "int8"
    # Whether `rag ingest` embeds in child processes: auto = for big ingests only (ingest/pipeline.py).
    embed_process: Literal["auto", "on", "off"] = "auto"
    chunk_tokens: int = Field(200, ge=32, le=250)
    chunk_overlap: int = Field(20, ge=0, le=100)
    top_k: int = Field(5, ge=1, le=50)
    generator: Literal["local", "openai", "extractive"] = "local"
    llm_model_path: Path = Path("models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    llm_threads: int = Field(2, ge=1, le=64)
    llm_context: int = Field(2048, ge=512, le=32768)
    llm_max_tokens: int = Field(160, ge=16, le=4096)
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_s: float = Field(60.0, gt=0)
    llm_temperature: float = Field(0.0, ge=0, le=2)
    max_question_chars: int = Field(2000, ge=10)
    translate: bool = False
    max_file_mb: float = Field(10.0, gt=0)
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    auth: SecretStr | None = None
    api_key: SecretStr | None = None  # the Bearer token of /v1 when RAG_AUTH is set (default: its password)

    @model_validator(mode="wrap")
    @classmethod
    def _hide_secret_inputs(cls, data: Any, handler: Any) -> Any:
        # pydantic puts the rejected value in the error text ("input_value='hunter2'"): for a malformed
        # RAG_AUTH that is the password itself.  Re-raise with secret inputs masked, other values kept.
        try:
            return handler(data)
        except ValidationError as exc:
            found = exc.errors()
            secret = [bool(e["loc"]) and e["loc"][0] in SECRET_FIELDS for e in found]
            if not any(secret):
                raise
            errors = [{"type": e["type"], "loc": e["loc"], "input": _MASK if hide else e["input"],
                       **({"ctx": e["ctx"]} if "ctx" in e else {})} for e, hide in zip(found, secret)]
            try:
                masked = ValidationError.from_exception_data(exc.title, errors)
            except Exception:  # an error type pydantic cannot rebuild: say what failed, show no input
                masked = ValueError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in found))
            raise masked from None

    def secret_values(self) -> list[str]:
        """The non-empty secret strings in force: the API key, the login and its password."""
        out = [self.llm_api_key.get_secret_value(), self.api_key.get_secret_value() if self.api_key else ""]
        if self.auth is not None:
            login = self.auth.get_secret_value()
            out += [login, login.partition(":")[2]]
        return [v for v in out if v]

    def secrets_fingerprint(self) -> str:
        """A sha256 of the secrets (for cache keys that must change when a secret does), never the secrets."""
        return hashlib.sha256("\0".join(self.secret_values()).encode("utf-8")).hexdigest()

    def redact(self, text: str) -> str:
        """``text`` with every secret value replaced by ``**********`` (for messages built from exceptions)."""
        for value in sorted(self.secret_values(), key=len, reverse=True):
            text = text.replace(value, _MASK)
        return text

    @field_validator("auth", mode="before")
    @classmethod
    def _empty_auth(cls, v: object) -> object:
        # RAG_AUTH= (empty, as in .env.example) means no login, not a login with an empty password.
        if v in ("", None):
            return None
        if ":" not in str(v if not isinstance(v, SecretStr) else v.get_secret_value()):
            raise ValueError("RAG_AUTH must look like user:password")
        return v

    @field_validator("api_key", mode="before")
    @classmethod
    def _empty_key(cls, v: object) -> object:
        return None if v in ("", None) else v  # RAG_API_KEY= (empty): the login's password is the token

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, v: str) -> str:
        StoreConfig(collection=v)  # one rule, the store's: raises naming the value
        return v

    def store_config(self) -> StoreConfig:
        """Where the store is, for ``vectorstore.open_store`` (and inside ``chat_config``)."""
        return StoreConfig(path=self.chroma_path, host=self.chroma_host, port=self.chroma_port,
                           timeout_s=self.chroma_timeout_s, collection=self.collection)

    def chat_config(self) -> ChatConfig:
        """What ``chat.answer`` needs, the API key included (it never prints it)."""
        llm = LLMConfig(model_path=self.llm_model_path, threads=self.llm_threads, context=self.llm_context,
                        max_tokens=self.llm_max_tokens, base_url=self.llm_base_url, model=self.llm_model,
                        api_key=self.llm_api_key.get_secret_value(), timeout_s=self.llm_timeout_s,
                        temperature=self.llm_temperature)
        return ChatConfig(store=self.store_config(), embed_model_path=self.embed_model_path,
                          embed_threads=self.embed_threads, query_embedder=self.query_embedder, top_k=self.top_k,
                          generator=self.generator, llm=llm, max_question_chars=self.max_question_chars,
                          translate=self.translate)
