# The two commands: `make local` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: local test lint bench package clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

local: $(STAMP)  ## embedded AWS + API on 127.0.0.1:8000, demo seeded, until Ctrl-C
	$(BIN)/python -m local

test: $(STAMP) lint  ## the whole suite: pytest, then the templates through cfn-lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/cfn-lint main_account/*.yaml

bench: $(STAMP)  ## round trips per request, import time
	$(BIN)/python -m bench

package: $(STAMP)  ## what `chalice deploy` would upload, as SAM + CloudFormation
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(BIN)/chalice package --stage dev build/package

clean:
	rm -rf $(VENV) .local build .pytest_cache
