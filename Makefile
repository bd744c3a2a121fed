# articlechat — two commands do all set-up on a fresh machine: `make chat` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed
# llama-cpp-python compiles llama.cpp (minutes on 2 cores): build the wheel once, keep it outside the repo.
WHEELS ?= $(HOME)/.cache/articlechat/wheels
LLAMA_CPP_VERSION := 0.3.36
# Portable: runs on any x86_64 CPU with AVX2, whatever CPU compiled it. No -march=native, no AVX-512 or
# AMX code (a native build crashed in libggml-cpu on a Xeon with AMX). See docs/performance.md, "The local model".
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON \
  -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DLLAVA_BUILD=OFF
# The wheel's folder is keyed by version and flags: a wheel built with other flags is never reused.
LLAMA_KEY := $(shell printf '%s %s' '$(LLAMA_CPP_VERSION)' '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
LLAMA_WHEELS := $(WHEELS)/llama-cpp-python-$(LLAMA_CPP_VERSION)-$(LLAMA_KEY)
LLAMA_STAMP := $(VENV)/.llama-$(LLAMA_KEY)
MODEL ?= models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
RGB ?= ../shared/eval/rgb_en_fact.json

export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: help install model ingest chat serve test test-slow bench bench-llm bench-load eval eval-llm eval-lang eval-rgb clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml $(LLAMA_STAMP)
	$(PIP) install --quiet -e '.[dev]'
	touch $@

$(LLAMA_STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first, pinned: the CPU build; a bare `torch` would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	mkdir -p $(LLAMA_WHEELS)
	ls $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl >/dev/null 2>&1 || \
	  { rm -rf $(LLAMA_WHEELS).tmp; echo "building llama-cpp-python $(LLAMA_CPP_VERSION) from source, portable x86_64/AVX2 (about 5 minutes, once)…"; \
	    CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
	      $(PIP) wheel --quiet --no-cache-dir --no-deps --no-binary llama-cpp-python \
	      llama-cpp-python==$(LLAMA_CPP_VERSION) -w $(LLAMA_WHEELS).tmp && mv $(LLAMA_WHEELS).tmp/*.whl $(LLAMA_WHEELS)/ && rmdir $(LLAMA_WHEELS).tmp; }
	# --force-reinstall: a venv made by an earlier version may hold a natively built llama-cpp-python.
	$(PIP) install --quiet --no-deps --force-reinstall $(LLAMA_WHEELS)/llama_cpp_python-$(LLAMA_CPP_VERSION)-*.whl
	rm -f $(VENV)/.llama-*
	touch $@

# Debian's Chromium drives the browser tests through Playwright (no browser download ever).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi

install: $(STAMP)  ## create .venv and install everything (offline-safe, idempotent)

model: $(STAMP)  ## assemble the local LLM (Qwen2.5-Coder-1.5B Q4_K_M) into models/ and verify its sha256
	$(PY) -m app.modelfile $(MODEL)

ingest: $(STAMP)  ## ingest data/articles into .rag/chroma
	$(VENV)/bin/rag ingest

chat: model ingest  ## install, get the model, ingest the default corpus, serve http://127.0.0.1:7860
	$(VENV)/bin/rag serve --host 127.0.0.1

serve: $(STAMP)  ## serve the chat without re-ingesting
	$(VENV)/bin/rag serve

test: $(STAMP) $(CHROMIUM)  ## run the whole test suite (offline), browser tests included
	$(PY) -m pytest -q
	$(MAKE) --no-print-directory eval

test-slow: $(STAMP) model  ## also the opt-in slow tests (the real 1.5B model)
	RAG_SLOW_TESTS=1 $(PY) -m pytest -q -m slow

bench: $(STAMP)  ## ours vs the llama-index tutorial pipeline: the articles and 10k Wikipedia summaries → reports/bench/
	$(PY) bench/perf.py --corpus both --out reports/bench

# bench-llm also times a llama-cpp-python built for this very CPU (-march=native): what the portable build costs.
# (--no-cache-dir: pip's own wheel cache does not know CMAKE_ARGS and would hand back the other build.)
LLAMA_NATIVE_ARGS := -DGGML_NATIVE=ON -DLLAVA_BUILD=OFF
NATIVE_KEY := $(shell (grep -m1 '^flags' /proc/cpuinfo; printf '%s %s' '$(LLAMA_CPP_VERSION)' '$(LLAMA_NATIVE_ARGS)') \
  | sha256sum | cut -c1-12)
NATIVE_DIR := .bench/llama-native-$(NATIVE_KEY)

$(NATIVE_DIR): $(STAMP)
	rm -rf $@.tmp && mkdir -p $@.tmp
	@echo "building llama-cpp-python $(LLAMA_CPP_VERSION) for this CPU only, to compare (about 5 minutes, once)…"
	CMAKE_ARGS="$(LLAMA_NATIVE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(PIP) wheel --quiet --no-cache-dir \
	  --no-deps --no-binary llama-cpp-python llama-cpp-python==$(LLAMA_CPP_VERSION) -w $@.tmp/wheel
	$(PIP) install --quiet --no-deps --target $@.tmp/pkg $@.tmp/wheel/*.whl
	mv $@.tmp/pkg $@ && rm -rf $@.tmp

bench-llm: model ingest $(NATIVE_DIR)  ## TTFT, answer time, tokens/s: in-process vs child, portable vs native build
	$(PY) bench/llm_speed.py --limit 20 --native $(NATIVE_DIR)
	$(PY) bench/llm_speed.py --limit 20 --no-in-process --testset eval/multilingual_qa.jsonl

bench-load: $(STAMP)  ## 16 gradio_client clients × 60 s against `rag serve` on 127.0.0.1, every citation checked (bench/load.py)
	$(PY) bench/load.py --clients 16 --seconds 60

eval: ingest  ## score eval/articles_qa.jsonl (extractive), gate on eval/thresholds.json → reports/eval/
	$(VENV)/bin/rag eval eval/articles_qa.jsonl --generator extractive --thresholds eval/thresholds.json --out reports/eval

eval-llm: model ingest  ## the same test set with the local LLM → reports/eval-llm/
	$(VENV)/bin/rag eval eval/articles_qa.jsonl --generator local --out reports/eval-llm

eval-lang: model ingest  ## Vietnamese and Chinese questions (test half), per language, both generators → reports/lang-*/
	$(VENV)/bin/rag eval-hard eval/multilingual_qa.jsonl --split test --generator extractive --out reports/lang-extractive
	$(VENV)/bin/rag eval-hard eval/multilingual_qa.jsonl --split test --generator local --out reports/lang-local

eval-rgb: $(STAMP)  ## the RGB English benchmark (collection rgb_en) → reports/rgb/
	$(VENV)/bin/rag eval-rgb $(RGB) --generator extractive --out reports/rgb

clean:  ## remove the local store and reports (keeps .venv and models/)
	rm -rf .rag reports test-output
