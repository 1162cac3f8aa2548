# DxOps: every target installs what it needs first, and is safe to run again.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# onnxruntime-node's install script downloads CUDA binaries from outside the npm registry;
# the CPU binaries ship inside the package, so skip the download.
export ONNXRUNTIME_NODE_INSTALL := skip
export NPM_CONFIG_UPDATE_NOTIFIER := false
export NPM_CONFIG_FUND := false
export NPM_CONFIG_AUDIT := false

VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
STAMPS := .make
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: help install prereqs fixtures lint format typecheck test test-ts test-py test-browser test-fuzz-quick fuzz inference-fixtures synth validate demo demo-drift serve bench soak clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

prereqs:
	@scripts/check-prereqs.sh

# `npm install` (not `npm ci`): with the lock present it installs the locked versions; npm 11's `ci` rejects
# locks that omit other platforms' optional binaries (biome, esbuild), which npm itself writes that way.
$(STAMPS)/node: package.json package-lock.json | prereqs
	@mkdir -p $(STAMPS)
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

# uv installs the hashed lock in seconds; it is pinned and installed into the venv itself. With hashes required, uv
# rebuilds pyspark's sdist on every fresh install and keeps each build (1.6 GB) in its shared cache; the prune drops
# the stale ones, which otherwise filled the disk after a few dozen clean clones.
# --compile-bytecode: the environment may set PYTHONDONTWRITEBYTECODE, and then every pipeline step compiled
# scikit-learn, scipy and onnx from source on import (9 s a step; 3 s with the bytecode written at install).
$(STAMPS)/python: requirements.txt | prereqs
	@mkdir -p $(STAMPS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) --require-hashes -r requirements.txt
	$(VENV)/bin/uv cache prune --quiet
	@touch $@

install: $(STAMPS)/node $(STAMPS)/python ## Install Node and Python dependencies (idempotent)

lint: install ## Biome (TypeScript) and ruff (Python): format and lint checks
	npx biome check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install ## Apply the formatters
	npx biome check --write .
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: install ## tsc in strict mode, no emit
	npx tsc -p tsconfig.json --noEmit

# The tiny model package, built by the real pipeline steps, for the TypeScript tests (ONNX parity, service).
TINY_PACKAGE := test/fixtures/generated/package/manifest.json
$(TINY_PACKAGE): $(STAMPS)/python $(shell find pipelines/steps -name '*.py' -not -path '*/tests/*')
	$(PY) pipelines/steps/make_tiny_package.py test/fixtures/generated > /dev/null

fixtures: $(TINY_PACKAGE) ## Test fixtures built from the pipeline steps

test-ts: install $(TINY_PACKAGE) ## jest
	npx jest --ci

test-py: install ## pytest for the pipeline steps
	$(VENV)/bin/pytest -q pipelines

# schemathesis (every check) against the service on a free loopback port serving the fixture model: every operation
# of its OpenAPI document; fails on any finding, any 5xx or a service not ready at the end (test/fuzz/).
FUZZ_RUN := npx ts-node --transpile-only test/fuzz/run-schemathesis.ts
test-fuzz-quick: install ## API fuzzing, bounded (150 examples per operation, fixed seed; ~30 s)
	FUZZ_EXAMPLES=150 FUZZ_SEED=1 $(FUZZ_RUN)

fuzz: install ## API fuzzing, long (2,000 examples per operation, random seed, 5 min); reports in .dxops/fuzz/
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-2000} FUZZ_SEED=$${FUZZ_SEED:-random} FUZZ_MAX_TIME=$${FUZZ_MAX_TIME:-300} \
	  FUZZ_REPORT_DIR=.dxops/fuzz $(FUZZ_RUN)

synth: install ## cdk synth every stage (no AWS credentials needed)
	npx cdk synth --quiet > /dev/null

# checkov pins versions that conflict with the steps' environment, so it gets a venv of its own.
CHECKOV_VENV := .venv-checkov
$(STAMPS)/checkov: $(STAMPS)/python
	@mkdir -p $(STAMPS)
	test -x $(CHECKOV_VENV)/bin/python || python3 -m venv $(CHECKOV_VENV)
	$(VENV)/bin/uv pip install --quiet --python $(CHECKOV_VENV)/bin/python checkov==3.3.30
	@touch $@

# cfn-lint fails the build on errors (its warnings are printed for review); checkov fails on any failed check
# (accepted ones are skipped in the template metadata with their reason, see docs/security.md).
validate: synth $(STAMPS)/checkov ## cfn-lint and checkov on every synthesized template
	$(VENV)/bin/cfn-lint --non-zero-exit-code error cdk.out/*.template.json
	$(CHECKOV_VENV)/bin/checkov -d cdk.out --framework cloudformation --quiet --compact --skip-download

test: lint typecheck test-ts test-py validate test-browser test-fuzz-quick ## Everything CI runs

demo: install ## Train, register and approve a model on this machine, then serve it on http://127.0.0.1:8080
	@HOST=$(HOST) PORT=$(PORT) scripts/demo.sh

demo-drift: install ## The closed loop locally: shifted traffic -> drift -> retraining -> approval -> hot reload
	@HOST=$(HOST) PORT=$(PORT) npx ts-node --transpile-only scripts/demo-drift.ts

serve: install ## Serve the approved model on HOST:PORT (default 127.0.0.1:8080) without retraining
	@HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

# The real package to benchmark besides the fixture: BENCH_MODEL_DIR, or the approved one of the local registry.
BENCH_MODEL_DIR ?= $(shell node -e "const r=require('./.dxops/registry/registry.json');const p=r.packages.filter(p=>p.status==='Approved').pop();if(p)console.log(require('path').resolve('.dxops/registry',p.packageDir))" 2>/dev/null)

bench: install ## Benchmarks (fixture and real package): ceiling vs POST /v1/diagnoses, p99 at 200 req/s, CPU, RSS; bursts; the floor; type-ahead; findings to look for next
	npm run -s bench
	@if [ -n "$(BENCH_MODEL_DIR)" ]; then MODEL_DIR="$(BENCH_MODEL_DIR)" npm run -s bench; \
	  else echo "dxops: no real package to benchmark (make demo builds one, or set BENCH_MODEL_DIR=<package dir>)" >&2; fi
	npm run -s bench:burst
	npm run -s bench:floor
	@if [ -n "$(BENCH_MODEL_DIR)" ]; then MODEL_DIR="$(BENCH_MODEL_DIR)" npm run -s bench:typeahead; else npm run -s bench:typeahead; fi
	@if [ -n "$(BENCH_MODEL_DIR)" ]; then MODEL_DIR="$(BENCH_MODEL_DIR)" npm run -s eval:next-findings; fi

soak: install ## 60 s at 200 requests/s: errors, latency, RSS growth (MODEL_DIR=<package dir> for another package)
	npm run -s bench:soak

# Debian's chromium, installed when missing (the machine reaches Debian's packages; root or sudo needed once).
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	@echo "dxops: installing Debian's chromium for the browser test" >&2
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null) || \
	  { echo "dxops: could not install chromium: run 'apt-get install -y chromium' as root, or set CHROMIUM=/path/to/chromium" >&2; exit 1; }

test-browser: install $(CHROMIUM) $(TINY_PACKAGE) ## The clinician page in chromium (playwright-core); screenshots in test/browser/screenshots/
	CHROMIUM_PATH=$(CHROMIUM) npx ts-node --transpile-only test/browser/clinician-page.ts

inference-fixtures: $(STAMPS)/python ## Rebuild the service's committed fixture model packages
	$(PY) test/fixtures/model-package/build_fixture.py

clean: ## Remove build output and local state (keeps installs)
	rm -rf cdk.out dist coverage .dxops
