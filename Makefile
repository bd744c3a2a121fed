# articlechat — two commands do all set-up on a fresh machine: `make chat` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
# llama-cpp-python compiles llama.cpp (~5 min on 2 cores): build the wheel once, keep it outside the repo.
WHEELS ?= $(HOME)/.cache/articlechat/wheels
LLAMA_CPP_VERSION := 0.3.36
MODEL ?= models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
RGB ?= ../shared/eval/rgb_en_fact.json

export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: help install model ingest chat serve test test-slow bench bench-llm bench-load eval eval-llm eval-rgb clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first, pinned: the CPU build; a bare `torch` would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	mkdir -p $(WHEELS)
	ls $(WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || \
	  { echo "building llama-cpp-python $(LLAMA_CPP_VERSION) from source (about 5 minutes, once)…"; \
	    $(PIP) wheel --quiet --no-deps llama-cpp-python==$(LLAMA_CPP_VERSION) -w $(WHEELS); }
	$(PIP) install --quiet $(WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl
	$(PIP) install --quiet -e '.[dev]'
	touch $@

# Debian's Chromium drives the browser tests through Playwright (no browser download ever).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi

install: $(STAMP)  ## create .venv and install everything (offline-safe, idempotent)

model: $(STAMP)  ## assemble the local LLM (Qwen2.5-Coder-1.5B Q4_K_M) into models/ and verify its sha256
	$(PY) -m chat.modelfile $(MODEL)

ingest: $(STAMP)  ## ingest data/articles into .rag/chroma
	$(VENV)/bin/rag ingest

chat: model ingest  ## install, get the model, ingest the default corpus, serve http://127.0.0.1:7860
	$(VENV)/bin/rag serve --host 127.0.0.1 --port 7860

serve: $(STAMP)  ## serve the chat without re-ingesting
	$(VENV)/bin/rag serve

test: $(STAMP) $(CHROMIUM)  ## run the whole test suite (offline), browser tests included
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory eval

test-slow: $(STAMP) model  ## also the opt-in slow tests (the real 1.5B model)
	RAG_SLOW_TESTS=1 $(PY) -m pytest -q -m slow

bench: $(STAMP)  ## ours vs the llama-index tutorial pipeline: the articles and 10k Wikipedia summaries → reports/bench/
	$(PY) bench/perf.py --corpus both --out reports/bench

bench-llm: model ingest  ## time to first token and full answer, local LLM vs extractive (bench/llm_speed.py)
	$(PY) bench/llm_speed.py --limit 20

bench-load: $(STAMP)  ## 16 gradio_client clients × 60 s against `rag serve` on 127.0.0.1, every citation checked (bench/load.py)
	$(PY) bench/load.py --clients 16 --seconds 60

eval: ingest  ## score eval/articles_qa.jsonl (extractive), gate on eval/thresholds.json → reports/eval/
	$(VENV)/bin/rag eval eval/articles_qa.jsonl --generator extractive --thresholds eval/thresholds.json --out reports/eval

eval-llm: model ingest  ## the same test set with the local LLM → reports/eval-llm/
	$(VENV)/bin/rag eval eval/articles_qa.jsonl --generator local --out reports/eval-llm

eval-rgb: $(STAMP)  ## the RGB English benchmark (collection rgb_en) → reports/rgb/
	$(VENV)/bin/rag eval-rgb $(RGB) --generator extractive --out reports/rgb

clean:  ## remove the local store and reports (keeps .venv and models/)
	rm -rf .rag reports test-output
