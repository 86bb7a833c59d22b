#!/usr/bin/env bash
# Builds the readers' libFuzzer targets (preset `fuzz`: clang-14, ASan + UBSan, build-fuzz/) and
# fuzzes each for SECONDS (default 60) from its seeds in tests/fixtures/fuzz-seeds/<target>/,
# then prints per target: executions, coverage (edges), corpus size and findings.
#   packaging/fuzz.sh [SECONDS] [TARGET...]
# The growing corpus lives in build-fuzz/corpus/<target>/ (kept between runs); crashes, leaks,
# timeouts and out-of-memory inputs land in build-fuzz/findings/<target>/. Keep each finding as a
# regression input in tests/fixtures/fuzz-regressions/<target>/ once it is fixed: test_fuzz_regressions
# replays them through the readers in the normal test suite. Exits non-zero when anything was found.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
[ -f build-fuzz/build.ninja ] || cmake --preset fuzz >/dev/null || exit 1
# Only the named targets are built when there are any.
nice -n 10 cmake --build build-fuzz ${1:+--target "$@"} -j "$(nproc)" >/dev/null ||
  { echo "fuzz build failed (cmake --build build-fuzz)"; exit 1; }
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(cd build-fuzz/bin && ls fuzz_* | sort)
printf '%-24s %10s %8s %7s %9s %s\n' target executions exec/s edges corpus findings
found=0
for target in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$target findings=build-fuzz/findings/$target
  mkdir -p "$corpus" "$findings"
  log=build-fuzz/findings/$target.log
  # -timeout: a reader that spends 10 s on one input of at most 16 KiB hangs; -rss_limit_mb: one
  # that needs 2 GB for it leaks or over-allocates.
  nice -n 10 "build-fuzz/bin/$target" "$corpus" "tests/fixtures/fuzz-seeds/$target" \
    -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  size=$(find "$corpus" -type f | wc -l)
  crashes=$(find "$findings" -type f | wc -l)
  found=$((found + crashes))
  printf '%-24s %10s %8s %7s %9s %s\n' "$target" "${runs:-?}" "${rate:-?}" "${cov:-?}" "$size" \
    "$([ "$crashes" = 0 ] && echo none || echo "$crashes in $findings (see $log)")"
done
exit $(( found > 0 ))
