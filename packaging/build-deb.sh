#!/usr/bin/env bash
# Builds build/package/idgenrec-workbench_<version>_<arch>.deb from the default build folder:
# builds only the installed targets (not the tests), then lets CPack install them into a staging
# root and derive the package dependencies with dpkg-shlibdeps.
# Install it with: sudo apt install ./build/package/idgenrec-workbench_*.deb
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dpkg-deb >/dev/null || { echo "build-deb.sh: dpkg-deb not found (Debian/Ubuntu only)" >&2; exit 1; }
command -v dpkg-shlibdeps >/dev/null || { echo "build-deb.sh: dpkg-shlibdeps missing: apt install dpkg-dev" >&2; exit 1; }
lock=(flock /tmp/idgen-build.lock)          # shared build machines build through one lock
command -v flock >/dev/null || lock=()
[ -f build/CMakeCache.txt ] || "${lock[@]}" cmake --preset default >/dev/null
"${lock[@]}" cmake build >/dev/null         # picks up packaging/CMakeLists.txt changes
"${lock[@]}" cmake --build build --target idgenrec idgenrec-workbench idgenrec_spm -j "${JOBS:-$(nproc)}"
mkdir -p build/package
(cd build && cpack -G DEB -B package >package/cpack.log 2>&1) || { cat build/package/cpack.log >&2; exit 1; }
deb=$(ls -t build/package/idgenrec-workbench_*.deb | head -n1)
echo "$deb"
dpkg-deb --field "$deb" Package Version Architecture Depends
