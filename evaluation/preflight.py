"""Before an evaluation runs: can the generator it names run here?

``chat.answer`` falls back to the extractive generator, with a notice, when the local model cannot start:
right for a user, who still gets cited passages, but wrong for a measurement, whose report would hold
extractive answers under the name ``local`` (or ``openai``).  So an evaluation stops first, naming what is
missing.

>>> from chat.config import ChatConfig, LLMConfig
>>> runnable("extractive", ChatConfig())
'extractive'
>>> runnable("local", ChatConfig(llm=LLMConfig(model_path="no/such.gguf")))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: generator 'local' has no model file at 'no/such.gguf': run `make model`, ...
"""

from __future__ import annotations

from chat.config import ChatConfig

__all__ = ["runnable"]


def runnable(generator: str | None, config: ChatConfig) -> str:
    """The generator an evaluation will measure (``generator``, else the configured one), or ValueError when
    it is ``local`` and its model file is missing, or ``openai`` with no server or model named."""
    name = generator or config.generator
    if name == "local" and not config.llm.model_path.is_file():
        raise ValueError(f"generator 'local' has no model file at {str(config.llm.model_path)!r}: run `make model`, "
                         "set RAG_LLM_MODEL_PATH, or pass --generator extractive")
    if name == "openai" and not (config.llm.base_url and config.llm.model):
        raise ValueError("generator 'openai' needs RAG_LLM_BASE_URL and RAG_LLM_MODEL (got "
                         f"{config.llm.base_url!r} and {config.llm.model!r}), or pass --generator extractive")
    return name
