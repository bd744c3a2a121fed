"""A scripted LLM for unit tests of the plumbing: a real llama-index ``CustomLLM`` subclass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from llama_index.core.llms import CompletionResponse, CompletionResponseGen, CustomLLM, LLMMetadata
from llama_index.core.llms.callbacks import llm_completion_callback
from pydantic import PrivateAttr


class ScriptedLLM(CustomLLM):
    """Answers every prompt with ``script(prompt)``; remembers the prompts it saw."""

    _script: Callable[[str], str] = PrivateAttr()
    _prompts: list = PrivateAttr(default_factory=list)

    def __init__(self, script: Callable[[str], str], **kw: Any) -> None:
        super().__init__(**kw)
        self._script = script

    @property
    def prompts(self) -> list[str]:
        return self._prompts

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(context_window=4096, num_output=256, model_name="scripted")

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kw: Any) -> CompletionResponse:
        self._prompts.append(prompt)
        return CompletionResponse(text=self._script(prompt))

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kw: Any) -> CompletionResponseGen:
        self._prompts.append(prompt)
        text = self._script(prompt)

        def gen() -> CompletionResponseGen:
            out = ""
            for word in text.split(" "):
                delta = word if not out else " " + word
                out += delta
                yield CompletionResponse(text=out, delta=delta)

        return gen()
