# The two commands of the README:  make run   and   make test
# Each sets up what it needs: system packages (Debian/Ubuntu), .venv, Python packages.
PY    ?= python3
VENV  := .venv
BIN   := $(VENV)/bin
ARGS  ?=

.PHONY: run test bench bundle deb screenshots system-deps-run system-deps-test clean

run: system-deps-run $(VENV)/.stamp-run
	$(BIN)/python -m kiosk run $(ARGS)

test: system-deps-test $(VENV)/.stamp-test
	$(BIN)/python -m pytest $(ARGS)

bench: system-deps-test $(VENV)/.stamp-test
	$(BIN)/python bench/run_all.py

bundle: system-deps-test $(VENV)/.stamp-test
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN kiosk.spec

# A Debian package of the bundle: dist/stellingenkiosk_<version>_<arch>.deb
deb: bundle
	packaging/build-deb.sh dist/stellingenkiosk dist

system-deps-run:
	@PY=$(PY) scripts/system-deps.sh run

system-deps-test:
	@PY=$(PY) scripts/system-deps.sh test

$(VENV)/bin/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.stamp-run: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $@ $(VENV)/.stamp-run

clean:
	rm -rf build dist $(VENV) .pytest_cache
