#!/usr/bin/env bash
# AddressSanitizer + UndefinedBehaviorSanitizer run (preset asan, build-asan/): builds only the
# importer, store, checkpoint and decoding tests, the reader-hardening tests and the tokenizer's
# (the SentencePiece module, loaded uninstrumented through dlmopen there), and runs them. Every
# unit and data test passes under this preset too (README "Hardened readers"); CI runs these.
# Leaks inside LibTorch, Qt and the BLAS/OpenMP runtimes are suppressed (packaging/asan/lsan.supp);
# any report from our own code fails the run. Prints the build and test times.
set -euo pipefail
cd "$(dirname "$0")/.."
tests=(test_importers test_formats_tabular test_formats_amazon_yelp test_dataset_builder test_text_reader
       test_store test_checkpoints test_decode test_input_limits test_corrupt_files test_fuzz_regressions
       test_tokenizer)
[ -f build-asan/build.ninja ] || cmake --preset asan >/dev/null
start=$(date +%s)
cmake --build build-asan --target "${tests[@]}" -j "$(nproc)"
built=$(date +%s)
export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export LSAN_OPTIONS=suppressions=$PWD/packaging/asan/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
pattern=$(IFS='|'; echo "${tests[*]}")
status=0
ctest --test-dir build-asan -R "^(${pattern})\$" --output-on-failure -j "$(nproc)" || status=$?
echo "asan: build $((built - start)) s, tests $(( $(date +%s) - built )) s, exit $status"
exit $status
