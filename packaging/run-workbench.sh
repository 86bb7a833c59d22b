#!/usr/bin/env bash
# The main job: build, then open the workbench on the built-in demo dataset (created on first
# use). Where there is no display, runs the headless demo instead and prints the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
packaging/build.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "No display found: running the headless demo (build/bin/idgenrec-workbench --headless-demo)."
  exec build/bin/idgenrec-workbench --headless-demo "$@"
fi
exec build/bin/idgenrec-workbench "$@"
