# cchc — one command to set up, one to demo, one to test.  `make help` lists targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie poppler-utils qpdf fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf fonts-crosextra-carlito fonts-sil-charis fonts-open-sans fonts-noto-core fonts-lato fonts-croscore fonts-roboto-unhinted chromium
DEMO_OUT := outputs/demo

.DEFAULT_GOAL := help
.PHONY: help setup sysdeps demo test fuzz bench corpus lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

sysdeps: ## Install system packages (Tesseract + Vietnamese model, Poppler, qpdf, Chromium for the browser tests) when missing
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie \
	    && command -v pdftoppm >/dev/null && command -v qpdf >/dev/null && command -v chromium >/dev/null \
	    && test -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf \
	    && test -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf \
	    && test -f /usr/share/fonts/truetype/freefont/FreeSerif.ttf \
	    && test -f /usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf \
	    && test -f /usr/share/fonts/truetype/charis/CharisSIL-Regular.ttf \
	    && test -f /usr/share/fonts/truetype/open-sans/OpenSans-Regular.ttf \
	    && test -f /usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf \
	    && test -f /usr/share/fonts/truetype/lato/Lato-Regular.ttf \
	    && test -f /usr/share/fonts/truetype/croscore/Tinos-Regular.ttf \
	    && test -f /usr/share/fonts/truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf; then \
	  echo "system packages present"; \
	else \
	  echo "installing: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	fi

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "installing Python 3.11"; $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv; }
	@$(PYTHON) -c "import ensurepip" 2>/dev/null || { echo "installing python3.11-venv"; $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11-venv; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

setup: sysdeps $(VENV)/.installed ## Install everything: system packages, .venv, the project and its dev tools

demo: setup ## Run the extraction on the bundled samples and print a summary
	$(BIN)/cchc extract samples/ --out $(DEMO_OUT)
	@$(BIN)/python -m cchc.summary $(DEMO_OUT)

test: setup ## Run the test suite (all of it, slow tests included, on every core with pytest-xdist; longest modules first, see tests/conftest.py)
	$(BIN)/python -m pytest -q -n auto --dist loadfile --no-loadscope-reorder

fuzz: setup ## Hostile-input suite at length: many random Hypothesis examples and the heavy worst-case batch with OCR and peak memory
	CCHC_FUZZ=1 $(BIN)/python -m pytest -q -m 'fuzz or not fuzz' tests/test_hostile_*.py


CORPUS_DIR := outputs/corpus
CORPUS_SOURCES := $(wildcard samples/build/*.py) $(wildcard indicator_catalog/data/templates/*.yaml)

$(CORPUS_DIR)/heldout/corpus.json: $(CORPUS_SOURCES) | setup
	$(BIN)/python samples/build/scan_corpus.py --out $(CORPUS_DIR) --split heldout

corpus: setup ## Generate the synthetic scan corpus (tune, dev…dev6 and held-out splits) into outputs/corpus
	$(BIN)/python samples/build/scan_corpus.py --out $(CORPUS_DIR) --split all

bench: setup $(CORPUS_DIR)/heldout/corpus.json ## Extract the samples and the held-out scan corpus, score them with `cchc eval`, time each stage
	$(BIN)/python -m cchc.bench --out outputs/bench --corpus $(CORPUS_DIR)/heldout

lint: setup ## ruff + mypy
	$(BIN)/ruff check .
	$(BIN)/mypy cchc pipeline extractors matchers indicator_catalog

clean: ## Remove outputs and caches (keeps .venv)
	rm -rf outputs/demo outputs/bench outputs/corpus .pytest_cache .mypy_cache .ruff_cache
