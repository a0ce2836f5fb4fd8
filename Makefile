# `make map` and `make test` do all set-up on a fresh clone (Python 3.11, registries only).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= data

.PHONY: map test install gazetteer chromium bench bench-accuracy clean help
help:
	@echo "make map            set up, then map everything in seeds/ into $(OUT)/"
	@echo "make test           set up (incl. Debian chromium), then run the tests"
	@echo "make bench-accuracy score every corpus in ../shared/eval/data"
	@echo "make bench          speed and memory benchmarks"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(STAMP)

gazetteer: install
	$(VENV)/bin/geo build-gazetteer

map: gazetteer
	$(VENV)/bin/geo map seeds/ -o $(OUT)

# Browser tests need Debian's chromium; install it when missing (root on CI).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

test: gazetteer chromium
	$(PY) -m pytest

bench-accuracy: gazetteer
	$(PY) bench/accuracy.py

bench: gazetteer chromium
	$(PY) bench/speed.py

clean:
	rm -rf $(VENV) build *.egg-info
