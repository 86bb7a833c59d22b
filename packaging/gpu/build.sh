#!/usr/bin/env bash
# Run ON THE GPU HOST: builds the core + CLI (no Qt) against the CUDA LibTorch inside the
# host's PyTorch wheel, with the Debian packages carried in .gpu-deps/ (packaging/gpu/fetch-deps.sh).
# Usage: packaging/gpu/build.sh [extra cmake -D options]
# Warnings are not errors there: its compiler is not the one the code is checked with here, and a
# new false positive must not stop the build (they still print).
set -euo pipefail
cd "$(dirname "$0")/../.."
deps=$PWD/.gpu-deps/root
[ -d "$deps" ] || { echo "error: $deps missing: run packaging/gpu/fetch-deps.sh on the Debian machine and carry .gpu-deps" >&2; exit 1; }
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
multiarch=$deps/usr/lib/x86_64-linux-gnu
export PKG_CONFIG_PATH=$multiarch/pkgconfig:$deps/usr/share/pkgconfig
export LD_LIBRARY_PATH=$multiarch${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# The .pc files name /usr as prefix; point them at the carried tree.
export PKG_CONFIG_SYSROOT_DIR=$deps
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DIDGEN_BUILD_GUI=OFF -DBUILD_TESTING=ON \
  -DCMAKE_PREFIX_PATH="$torch_prefix;$deps/usr" -DCMAKE_LIBRARY_PATH="$multiarch" -DCMAKE_INCLUDE_PATH="$deps/usr/include" \
  -DCMAKE_CUDA_ARCHITECTURES=90 \
  -DIDGEN_WARNINGS_AS_ERRORS=OFF "$@"
cmake --build build-gpu -j "$(nproc)"
echo "built: build-gpu/bin/idgenrec (run with LD_LIBRARY_PATH=$multiarch)"
