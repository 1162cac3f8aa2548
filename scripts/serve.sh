#!/usr/bin/env bash
# `make serve`: the inference service on the embedded default, serving the highest approved version of the local
# registry and hot-reloading when another version is approved. HOST and PORT are honoured.
set -euo pipefail
cd "$(dirname "$0")/.."
export DXOPS_HOME="${DXOPS_HOME:-$PWD/.dxops}" HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8080}"
if [ ! -f "$DXOPS_HOME/registry/registry.json" ]; then
  echo "dxops serve: no model registry in $DXOPS_HOME: run 'make demo' first to train and approve a model" >&2
  exit 1
fi
exec npx ts-node --transpile-only containers/inference/src/server.ts
