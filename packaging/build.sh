#!/usr/bin/env bash
# Installs what is missing, then configures and builds the workbench in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j "$(nproc)"
