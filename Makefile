# The two commands of the README:
#   make run    set up .venv (if missing) and run the main job
#   make test   set up .venv (if missing) and run the whole test suite
# torch is pinned here, not in the package: this machine has these builds on disk
# (x86_64: torch 2.14.1 + torchvision 0.29.1; aarch64: torch 2.9.1 + torchvision 0.24.1).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ARCH   := $(shell uname -m)
ifeq ($(ARCH),aarch64)
TORCH_PIN := torch==2.9.1 torchvision==0.24.1
else
TORCH_PIN := torch==2.14.1 torchvision==0.29.1
endif
STAMP  := $(VENV)/.installed

.PHONY: run test install lint docs clean browser

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH_PIN)
	$(BIN)/python -m pip install -q -e '.[dev,all]'
	touch $(STAMP)

install: $(STAMP)

# the main job: the quick benchmark and the quick claims board in one sweep (resumable: rerun to
# finish an interrupted one), one report that opens with the claims table
run: $(STAMP)
	$(BIN)/actlab claims run --preset quick --bench quick --store actlab-results.db --out actlab-report
	@echo "open actlab-report/report.html (self-contained) or read actlab-report/report.md"

# the HTML-report test renders in headless Chromium (Debian's package)
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

docs: $(STAMP)
	$(BIN)/actlab docs

clean:
	rm -rf $(VENV)
