#!/usr/bin/env bash
# Run HERE (Debian 12): downloads the Debian packages the GPU host lacks and unpacks them into
# .gpu-deps/ (git-ignored), which travels with the working tree to the GPU host (`carry`).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu-deps
rm -rf "$out" && mkdir -p "$out/debs"
packages=(libsentencepiece0 libsentencepiece-dev libsqlite3-0 libsqlite3-dev nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
          libxxhash0 libxxhash-dev zlib1g-dev)
(cd "$out/debs" && apt-get download "${packages[@]}")
for deb in "$out"/debs/*.deb; do dpkg -x "$deb" "$out/root"; done
rm -rf "$out/debs"
echo "unpacked ${#packages[@]} packages into $out/root ($(du -sh "$out" | cut -f1))"
