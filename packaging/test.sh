#!/usr/bin/env bash
# Builds and runs every test except those that need a GPU (label 'gpu').
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/build.sh
export QT_QPA_PLATFORM=offscreen
ctest --preset default "$@"
