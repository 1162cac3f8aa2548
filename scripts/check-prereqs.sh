#!/usr/bin/env bash
# Checks the tools a fresh machine needs before `make` installs everything else.
# Prints how to get each missing one; exits non-zero if any is missing or too old.
set -euo pipefail
fail=0
need() { echo "dxops: $1" >&2; fail=1; }

if ! command -v node >/dev/null; then
  need "Node.js 20+ is missing: install it from https://nodejs.org or your package manager (e.g. 'apt-get install nodejs npm')."
elif [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  need "Node.js $(node --version) is too old: DxOps needs Node.js 20+."
fi

if ! command -v python3 >/dev/null; then
  need "Python 3.11+ is missing: install it (e.g. 'apt-get install python3 python3-venv')."
elif ! python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  need "$(python3 --version) is too old: DxOps needs Python 3.11+ (AWS Glue 5.0 and the SageMaker steps use 3.11)."
fi

# Local Spark (the Glue ingestion script in local mode) needs a Java 17+ runtime.
if ! command -v java >/dev/null; then
  need "Java 17+ is missing (local Spark needs it): install it with 'apt-get install openjdk-17-jre-headless' or from https://adoptium.net, then set JAVA_HOME."
else
  jv=$(java -version 2>&1 | awk -F'"' '/version/ {print $2}' | cut -d. -f1)
  if [ "${jv:-0}" -lt 17 ]; then
    need "Java ${jv} is too old: local Spark needs Java 17+ ('apt-get install openjdk-17-jre-headless')."
  fi
fi
exit $fail
