# nianbao: `make demo` (set up + crawl the replica portal + parse + serve) and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8001
DATA ?= data
# xdist workers for `make test`: three on two cores, because a good part of the suite waits (on child
# processes, Redis, politeness delays, servers starting) and a third worker runs while the others wait.
TEST_WORKERS ?= 3
APT_PACKAGES := chromium libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-dejavu-core fonts-urw-base35 redis-server poppler-utils catdoc

.PHONY: setup apt demo test lint bench clean

setup: $(VENV)/.installed

apt:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: pyproject.toml | apt
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	test -x .venv-pywb/bin/wayback || ( $(PY) -m venv .venv-pywb && .venv-pywb/bin/pip install -q pywb==2.10.0 )
	touch $@

demo: setup
	$(BIN)/python -m archive.demo --data $(DATA) --port $(PORT)

test: setup
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS)

lint: setup
	$(BIN)/ruff check .

bench: setup
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench_reparse

clean:
	rm -rf $(DATA) .pytest_cache
