# The two commands: `make local` and `make test`. Each builds .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
TEMPLATE_DIRS := main_account hosting_account catalog console
TEMPLATES := $(foreach dir,$(TEMPLATE_DIRS),$(wildcard $(dir)/*.yaml))

.PHONY: local test fast lint bench package deploy destroy clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

local: $(STAMP)  ## embedded AWS + API on 127.0.0.1:8000, demo seeded, until Ctrl-C
	$(BIN)/python -m local

test: $(STAMP) lint  ## the whole suite: pytest, then the templates through cfn-lint
	$(BIN)/python -m pytest -q

fast: $(STAMP)  ## seconds: ruff, then the unit tier
	$(BIN)/ruff check
	$(BIN)/python -m pytest tests/unit -q

$(CHECKOV_STAMP): requirements-lint.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(CHECKOV_VENV)/bin/python -m pip install --quiet -r requirements-lint.txt
	touch $(CHECKOV_STAMP)

# checkov: one -f per template (3.3.30 mixes up results across several -d); --skip-download: offline.
# ruff and mypy read their settings (rules, McCabe <= 10, checked paths) from pyproject.toml.
lint: $(STAMP) $(CHECKOV_STAMP)  ## ruff and mypy over the code, then every CloudFormation template through cfn-lint and checkov
	$(BIN)/ruff check
	$(BIN)/mypy
	$(BIN)/cfn-lint $(TEMPLATES)
	$(CHECKOV_VENV)/bin/checkov --framework cloudformation --quiet --compact --skip-download $(addprefix -f ,$(TEMPLATES))

bench: $(STAMP)  ## round trips per request, import time
	$(BIN)/python -m bench

package: $(STAMP)  ## what `chalice deploy` would upload, as SAM + CloudFormation
	mkdir -p build && $(BIN)/python -m scripts.app_package dev build/package-merge.json  # + the stage's CONSOLE_ORIGIN
	AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1} $(BIN)/chalice package --stage dev --merge-template build/package-merge.json build/package

# Settings pass through the environment (BYON, ADMIN_*, FROM, EXAMPLES): scripts/deploy.py, docs/deploy.md.
deploy: $(STAMP) $(if $(DRY_RUN),$(CHECKOV_STAMP))  ## STAGE=dev [REGION=…] [FROM=step] [DRY_RUN=1]: everything, in order
	$(BIN)/python -m scripts.deploy

destroy: $(STAMP)  ## STAGE=dev [REGION=…]: the app stack; tables, buckets and keys are retained
	$(BIN)/python -m scripts.destroy

clean:
	rm -rf $(VENV) $(CHECKOV_VENV) .local build .pytest_cache
