#!/usr/bin/env bash
# Installs the Debian 12 packages the workbench needs to build, test and run.
# A no-op when everything is present; uses sudo when not run as root.
set -euo pipefail

packages=(
  g++ make pkg-config cmake ninja-build libopenblas0-pthread
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-svg-dev
  libtorch-dev libgloo-dev libsentencepiece-dev sentencepiece libqcustomplot-dev libsqlite3-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev libspdlog-dev libfmt-dev zlib1g-dev libxxhash-dev
  xvfb xauth dpkg-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${#missing[@]} missing packages: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
