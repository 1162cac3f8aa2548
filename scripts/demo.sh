#!/usr/bin/env bash
# `make demo`: the main job on the embedded default. Trains the model with the local runner on the vendored data
# (ingest -> knowledge base -> train -> evaluate -> gate -> export -> register), approves it, then serves it on
# http://$HOST:$PORT until Ctrl-C. `make serve` serves the approved model again without retraining.
set -euo pipefail
cd "$(dirname "$0")/.."
export DXOPS_HOME="${DXOPS_HOME:-$PWD/.dxops}"
say() { printf '\033[1mdxops demo:\033[0m %s\n' "$*"; }

started=$(date +%s)
say "1/2 training pipeline on this machine (state in $DXOPS_HOME)"
npx ts-node --transpile-only pipelines/definition/run-local.ts --approve
say "pipeline finished in $(( $(date +%s) - started ))s; the approved model is in $DXOPS_HOME/registry"

say "2/2 serving the approved model on http://${HOST:-127.0.0.1}:${PORT:-8080} (web page at /, API docs at /docs; Ctrl-C stops)"
exec scripts/serve.sh
