#!/usr/bin/env bash
# Faults that must lose nothing, checked against scratch projects with the real CLI; one line per
# case: PASS/FAIL and what was checked. Builds idgenrec first if needed. About 3-5 minutes on 2 cores.
#   kill       SIGKILL a training run, reopen: the run is 'interrupted'; resume finishes it
#   disk-full  an import into a project capped by IDGEN_MAX_PAGE_COUNT fails naming the file
#   read-only  a 0444 project / a 0555 folder: listing works, an import fails naming the file
#   two-procs  imports in one process while another lists and imports: no "database is locked"
# After each failing write: PRAGMA integrity_check = ok and the dataset/item/interaction counts
# are unchanged.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cli=$root/build/bin/idgenrec
if [ ! -x "$cli" ]; then
  [ -f build/CMakeCache.txt ] || cmake --preset default >/dev/null
  flock /tmp/idgen-build.lock cmake --build build --target idgenrec idgenrec_spm -j "$(nproc)" >/dev/null || exit 1
fi
scratch=$(mktemp -d /tmp/idgen-faults.XXXXXX)
chmod 0755 "$scratch"
trap 'chmod -R u+w "$scratch" 2>/dev/null; rm -rf "$scratch"' EXIT
failures=0
report() { # PASS|FAIL case what
  printf '%-4s %-10s %s\n' "$1" "$2" "$3"
  [ "$1" = PASS ] || failures=$((failures + 1))
}
counts() { sqlite3 "$1" "SELECT (SELECT COUNT(*) FROM datasets)||'/'||(SELECT COUNT(*) FROM items)||'/'||(SELECT COUNT(*) FROM interactions)"; }
integrity() { sqlite3 "$1" "PRAGMA integrity_check"; }
# As root file modes do not bind: the read-only case runs the CLI as 'nobody'.
unprivileged=()
[ "$(id -u)" = 0 ] && unprivileged=(setpriv --reuid=65534 --regid=65534 --clear-groups)

# --- kill -------------------------------------------------------------------------------------
case_kill() {
  local p=$scratch/kill.idgenrec cfg=$scratch/faults.toml log=$scratch/train.log
  "$cli" demo --project "$p" >/dev/null || { report FAIL kill "demo import failed"; return; }
  # The demo config, smaller: 1 epoch, a tiny model, a checkpoint every 5 steps.
  sed -e 's/^epochs = .*/epochs = 1/' -e 's/^users = .*/users = 20/' -e 's/^beams = .*/beams = 5/' \
      -e 's/^d_model = .*/d_model = 64/' -e 's/^d_ff = .*/d_ff = 128/' -e 's/^layers = .*/layers = 1/' \
      -e 's/^every_steps = .*/every_steps = 5/' resources/configs/demo.toml >"$cfg"
  "$cli" train --project "$p" --dataset demo --config "$cfg" --json >"$log" 2>&1 &
  local pid=$! waited=0
  until ls "$p".models/run-*/last.ckpt >/dev/null 2>&1 || [ $waited -ge 240 ]; do sleep 1; waited=$((waited + 1)); done
  sleep 2
  kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
  local run status
  run=$(sqlite3 "$p" "SELECT MAX(id) FROM runs")
  [ -n "$run" ] || { report FAIL kill "no run was recorded ($(tail -n2 "$log"))"; return; }
  "$cli" runs --project "$p" >/dev/null 2>&1 # an open marks dead runs
  status=$(sqlite3 "$p" "SELECT status FROM runs WHERE id = $run")
  [ "$status" = interrupted ] || { report FAIL kill "run $run is '$status' after SIGKILL, not interrupted"; return; }
  if "$cli" resume --project "$p" --run "$run" --json >"$log" 2>&1; then
    status=$(sqlite3 "$p" "SELECT status FROM runs WHERE id = $run")
    [ "$status" = done ] && [ "$(integrity "$p")" = ok ] &&
      report PASS kill "SIGKILL after ${waited}s: run $run interrupted on reopen, resumed from last.ckpt to 'done', integrity ok" ||
      report FAIL kill "resumed run $run is '$status'"
  else
    report FAIL kill "resume failed: $(tail -n2 "$log")"
  fi
}

# --- disk full --------------------------------------------------------------------------------
case_disk_full() {
  local p=$scratch/full.idgenrec before err pages
  "$cli" demo --project "$p" --version 2 >/dev/null || { report FAIL disk-full "demo import failed"; return; }
  before=$(counts "$p"); pages=$(sqlite3 "$p" "PRAGMA page_count")
  if err=$(IDGEN_MAX_PAGE_COUNT=$((pages + 4)) "$cli" demo --project "$p" --name second --version 1 2>&1); then
    report FAIL disk-full "the import succeeded in a project capped at $((pages + 4)) pages"; return
  fi
  if [[ $err == *"$p"* && $err == *full* ]] && [ "$(integrity "$p")" = ok ] && [ "$(counts "$p")" = "$before" ]; then
    report PASS disk-full "import refused naming the file ('${err:0:90}...'), integrity ok, counts $before unchanged"
  else
    report FAIL disk-full "message '$err', integrity $(integrity "$p"), counts $(counts "$p") (were $before)"
  fi
}

# --- read-only ------------------------------------------------------------------------------
case_read_only() { # file|folder
  local d=$scratch/ro-$1 p before sum err
  mkdir -p "$d"; p=$d/p.idgenrec
  "$cli" demo --project "$p" --version 2 >/dev/null || { report FAIL "ro-$1" "demo import failed"; return; }
  before=$(counts "$p"); sum=$(sha256sum <"$p")
  if [ "$1" = file ]; then chmod 0777 "$d"; chmod 0444 "$p"; else chmod 0555 "$d"; fi
  if ! "${unprivileged[@]}" "$cli" datasets --project "$p" | grep -q demo; then
    report FAIL "ro-$1" "listing the datasets of a read-only project failed"; chmod 0755 "$d"; return
  fi
  err=$("${unprivileged[@]}" "$cli" demo --project "$p" --name again --version 2 2>&1) && {
    report FAIL "ro-$1" "an import into a read-only project succeeded"; chmod 0755 "$d"; return; }
  chmod 0755 "$d"; chmod 0644 "$p"
  if [[ $err == *"$p"* && $err == *read-only* ]] && [ "$(sha256sum <"$p")" = "$sum" ] &&
     [ "$(integrity "$p")" = ok ] && [ "$(counts "$p")" = "$before" ]; then
    report PASS "ro-$1" "listing works; import refused ('${err:0:80}...'); file bytes, integrity and counts unchanged"
  else
    report FAIL "ro-$1" "message '$err', integrity $(integrity "$p"), counts $(counts "$p") (were $before)"
  fi
}

# --- two processes ----------------------------------------------------------------------------
case_two_processes() {
  local p=$scratch/two.idgenrec log=$scratch/two.log n=0 expected
  "$cli" demo --project "$p" --version 2 >/dev/null || { report FAIL two-procs "demo import failed"; return; }
  ( for i in 1 2 3; do "$cli" demo --project "$p" --name big$i --version 1 >/dev/null || exit 1; done ) 2>"$log" &
  local writer=$!
  : >"$scratch/reader.log"
  while kill -0 $writer 2>/dev/null || [ $n -lt 3 ]; do
    "$cli" datasets --project "$p" >/dev/null 2>>"$scratch/reader.log" || echo "datasets failed" >>"$scratch/reader.log"
    "$cli" demo --project "$p" --name small$n --version 2 >/dev/null 2>>"$scratch/reader.log" || echo "demo failed" >>"$scratch/reader.log"
    n=$((n + 1)); [ $n -gt 40 ] && break
  done
  wait $writer; local code=$?
  expected="$((1 + 3 + n))"
  if [ $code = 0 ] && ! grep -qi . "$scratch/reader.log" && ! grep -qi locked "$log" &&
     [ "$(sqlite3 "$p" 'SELECT COUNT(*) FROM datasets')" = "$expected" ] && [ "$(integrity "$p")" = ok ]; then
    report PASS two-procs "3 demo v1 imports vs $n list+import rounds in a second process: no error, $expected datasets, integrity ok"
  else
    report FAIL two-procs "writer exit $code; $(cat "$log" "$scratch/reader.log" | head -n3)"
  fi
}

start=$SECONDS
case_disk_full
case_read_only file
case_read_only folder
case_two_processes
case_kill
echo "faults.sh: $failures failing case(s) in $((SECONDS - start)) s"
[ $failures = 0 ]
