# Two commands from a fresh clone: `make run` and `make test`. Both create .venv with the
# first Python >= 3.11 they find and reinstall only when pyproject.toml changed.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: run test lint geography clean hosting publish requirements

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "make: Python >= 3.11 is needed and none was found on PATH" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

# The gzip entry (dashboard/asgi.py); Community Cloud runs streamlit_app.py itself.
run: $(STAMP)
	$(BIN)/streamlit run dashboard/asgi.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest
	$(BIN)/python .ci/hosting_check.py

# The container's, Community Cloud's and the wheel's install-and-serve steps, each in a clean venv.
hosting: $(STAMP)
	$(BIN)/python .ci/hosting_check.py

# data/datapackage.json from the codebook and CITATION.cff, and the copies the app serves.
publish: $(STAMP)
	$(BIN)/python -m store.datapackage

# requirements.txt (what Community Cloud and the Dockerfile install) from pyproject.toml.
requirements: $(STAMP)
	$(BIN)/python scripts/lock_requirements.py

geography: $(STAMP)
	$(BIN)/python -m pip install -q -e '.[test,build]'
	$(BIN)/python scripts/build_geography.py

clean:
	rm -rf $(VENV) .pytest_cache
