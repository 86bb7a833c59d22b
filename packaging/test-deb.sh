#!/usr/bin/env bash
# CTest 'deb_package' (label slow): unpacks the .deb into a scratch root with dpkg -x and runs the
# installed CLI from there, without LD_LIBRARY_PATH. Exit 77 (skipped) without dpkg-deb.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v dpkg-deb >/dev/null || { echo "dpkg-deb not found: skipping"; exit 77; }
deb=$(ls -t build/package/idgenrec-workbench_*.deb 2>/dev/null | head -n1)
if [ -z "$deb" ]; then
  packaging/build-deb.sh >/dev/null || { echo "build-deb.sh failed"; exit 1; }
  deb=$(ls -t build/package/idgenrec-workbench_*.deb | head -n1)
fi
root=$(mktemp -d /tmp/idgen-deb.XXXXXX)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root/fs" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
for f in usr/bin/idgenrec usr/bin/idgenrec-workbench usr/bin/idgenrec_spm.so \
         usr/share/applications/idgenrec-workbench.desktop usr/share/icons/hicolor/scalable/apps/idgenrec-workbench.svg; do
  [ -e "$root/fs/$f" ] || fail "$f missing from $deb"
done
depends=$(dpkg-deb --field "$deb" Depends)
for d in libtorch libqt6 libsqlite3 libxxhash0 libsentencepiece; do
  [[ $depends == *"$d"* ]] || fail "Depends lacks $d: $depends"
done
version=$("$root/fs/usr/bin/idgenrec" --version) || fail "idgenrec --version failed"
"$root/fs/usr/bin/idgenrec" --help | grep -q "Subcommands:" || fail "idgenrec --help lists no subcommands"
"$root/fs/usr/bin/idgenrec" demo --project "$root/x.idgenrec" >/dev/null || fail "idgenrec demo failed"
"$root/fs/usr/bin/idgenrec" datasets --project "$root/x.idgenrec" | grep -q demo || fail "no demo dataset listed"
echo "PASS: $deb ($version) unpacked: CLI runs, demo imported; Depends: $depends"
