"""Settings from the environment and ``.env``, every name prefixed ``RAG_`` (see ``.env.example``).

Built once at the edge (CLI, UI, ``chat.answer``'s default) and passed down explicitly.

>>> Settings(top_k=3).top_k
3
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "GENERATORS"]

GENERATORS = ("local", "openai", "extractive")


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
    max_question_chars: int = Field(2000, ge=10)
    max_file_mb: float = Field(10.0, gt=0)
    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    auth: SecretStr | None = None

    @field_validator("auth", mode="before")
    @classmethod
    def _empty_auth(cls, v: object) -> object:
        # RAG_AUTH= (empty, as in .env.example) means no login, not a login with an empty password.
        if v in ("", None):
            return None
        if ":" not in str(v if not isinstance(v, SecretStr) else v.get_secret_value()):
            raise ValueError("RAG_AUTH must look like user:password")
        return v

    @field_validator("collection")
    @classmethod
    def _collection_name(cls, v: str) -> str:
        # Chroma requires 3-512 characters; we also reserve a suffix for the documents collection.
        if not (3 <= len(v) <= 500):
            raise ValueError(f"collection name must have 3-500 characters, got {v!r}")
        return v
