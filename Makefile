# articlechat — two commands do all set-up on a fresh machine: `make chat` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export TOKENIZERS_PARALLELISM := false

.PHONY: help install ingest chat serve test lint clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first, pinned: the CPU build; a bare `torch` would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $@

install: $(STAMP)  ## create .venv and install everything (offline-safe, idempotent)

ingest: $(STAMP)  ## ingest data/articles into .rag/chroma
	$(VENV)/bin/rag ingest

chat: ingest  ## install, ingest the default corpus, serve the chat on http://127.0.0.1:7860
	$(VENV)/bin/rag serve --host 127.0.0.1 --port 7860

serve: $(STAMP)  ## serve the chat without re-ingesting
	$(VENV)/bin/rag serve

test: $(STAMP)  ## run the whole test suite (offline)
	$(PY) -m pytest -q

clean:  ## remove the local store (keeps .venv)
	rm -rf .rag reports test-output
