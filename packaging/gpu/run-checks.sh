#!/usr/bin/env bash
# Run ON THE GPU HOST (the device tool), with .gpu-deps (packaging/gpu/fetch-deps.sh) and .gpu-data
# (packaging/gpu/prepare-beauty.sh) carried along. Builds the core + CLI against the host's CUDA
# LibTorch and runs the GPU work of the model-core and decoding issues, one step after another:
#
#   packaging/gpu/run-checks.sh [STEP...]      (default: all steps below, in this order)
#
#   build            packaging/gpu/build.sh (skipped when build-gpu/bin/idgenrec exists)
#   gpu-tests        ctest -L gpu: check-device on CUDA, batched search = reference on CUDA
#   hf-fixture       tests/fixtures/hf/make_tiny_t5.py, packed as $OUT/hf-fixtures.tar (commit it)
#   evaluate-beauty  the whole Beauty test set, small model, 20 beams (target: under 60 s)
#   anchor           transformers' generate (published pipeline) against idgenrec, same weights
#   bench-decode     bench decode (tiger, bf16) and with --config small
#   bench-model      bench model, tiger and small, bf16
#   ids-beauty       Algorithm 1 on Beauty with a tiger-size generator (warm start 2 epochs)
#   train-beauty     config beauty-gpu on the phase-0 item IDs with numbered (leak-free) users;
#                    the step's time limit stops it at a checkpoint (SIGTERM) and the next call
#                    resumes it while the machine is warm (target: test HR@10 >= 0.065)
#   schemes-beauty   the scheme comparison on Beauty (README "Item and user IDs"): each scheme
#                    (SCHEMES, default "sequential random atomic cid rqvae") assigned once, then
#                    beauty-gpu trained on each in turn, resumed across calls like train-beauty;
#                    every finished run's test metrics are in results.jsonl (`runs --json`)
#
# A device call runs at most 10 minutes and whatever is in $OUT comes back even when it is cut
# off, so the most wanted steps come first; name the rest in a following call (while the machine
# is still warm, build-gpu/ is reused).
#
# Each step runs under its own time limit (STEP_LIMIT seconds, default 300) so that one failure
# does not take the rest down. Results: $OUT/results.jsonl (one JSON object per step: step, rc,
# seconds, and the JSON reports the step printed as "results"), the full log in $OUT/log.txt.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/idgenrec-gpu-out}
mkdir -p "$out"
log=$out/log.txt
limit=${STEP_LIMIT:-300}
deps=$PWD/.gpu-deps/root/usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH=$deps${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PYTHONUNBUFFERED=1
bin=$PWD/build-gpu/bin/idgenrec
project=/tmp/beauty.idgenrec
work=/tmp/idgenrec-gpu
mkdir -p "$work"

step_build() {
  [ -x "$bin" ] && { echo "build-gpu/bin/idgenrec exists"; return 0; }
  packaging/gpu/build.sh
}
step_gpu_tests() { ctest --test-dir build-gpu -L gpu --output-on-failure; }
step_bench_model() {
  "$bin" bench model --config tiger --device cuda --json && "$bin" bench model --config small --device cuda --json
}
step_bench_decode() {
  "$bin" bench decode --device cuda --json && "$bin" bench decode --config small --device cuda --json
}
step_anchor() {
  "$bin" bench decode --device cuda --fp32 --users 512 --export "$work/anchor" --json &&
    python3 tests/bench/anchor_transformers_decode.py "$work/anchor" --users 100
}
beauty_project() {
  [ -f .gpu-data/beauty.idgenrec ] || { echo "error: .gpu-data/beauty.idgenrec missing: run packaging/gpu/prepare-beauty.sh here and carry .gpu-data" >&2; return 1; }
  cp .gpu-data/beauty.idgenrec "$project"
}
step_evaluate_beauty() {
  beauty_project || return 1
  "$bin" model init --project "$project" --dataset beauty --config small --out "$work/beauty-small.ckpt" &&
    "$bin" evaluate --project "$project" --checkpoint "$work/beauty-small.ckpt" --snapshot 1 --beams 20 --device cuda --json
}
step_ids_beauty() {
  beauty_project || return 1
  "$bin" ids assign --project "$project" --dataset beauty --scheme textual --generator-config tiger \
    --warmup-epochs 2 --device cuda --json
}
step_train_beauty() {
  local train=$work/beauty-train.idgenrec
  [ -f "$train" ] || { [ -f .gpu-data/beauty.idgenrec ] && cp .gpu-data/beauty.idgenrec "$train"; } || return 1
  local run
  run=$("$bin" runs --project "$train" --json | python3 -c 'import json,sys; r=[x["id"] for x in json.load(sys.stdin) if x["status"] in ("stopped","interrupted")]; print(r[-1] if r else "")')
  if [ -n "$run" ]; then
    "$bin" resume --project "$train" --run "$run" --json
  else
    "$bin" train --project "$train" --dataset beauty --config beauty-gpu --snapshot 2 --json
  fi
}
step_schemes_beauty() {
  local train=$work/beauty-schemes.idgenrec
  [ -f "$train" ] || { [ -f .gpu-data/beauty.idgenrec ] && cp .gpu-data/beauty.idgenrec "$train"; } || return 1
  local scheme snapshot run
  for scheme in ${SCHEMES:-sequential random atomic cid rqvae}; do
    snapshot=$("$bin" ids list --project "$train" --json | python3 -c "import json,sys; s=[x['snapshot'] for x in json.load(sys.stdin) if x['scheme']=='$scheme']; print(s[0] if s else '')")
    [ -n "$snapshot" ] || snapshot=$("$bin" ids assign --project "$train" --dataset beauty --scheme "$scheme" --json | tail -n1 |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["snapshot"])') || return 1
    # This scheme's run: done (next scheme), stopped by the last call's limit (resume), or none yet.
    run=$("$bin" runs --project "$train" --json | python3 -c "import json,sys; r=[(x['id'],x['status']) for x in json.load(sys.stdin) if x['snapshot']==$snapshot]; print(' '.join(map(str,r[-1])) if r else '')")
    case "$run" in
      *" done") continue ;;
      "") "$bin" train --project "$train" --dataset beauty --config beauty-gpu --snapshot "$snapshot" --json || return 1 ;;
      *) "$bin" resume --project "$train" --run "${run%% *}" --json || return 1 ;;
    esac
  done
  "$bin" runs --project "$train" --json | python3 -c 'import json,sys; [print(json.dumps({"run": x["id"], "snapshot": x["snapshot"], "status": x["status"], "test": (x.get("summary") or {}).get("test", {}).get("metrics")})) for x in json.load(sys.stdin)]'
}
step_hf_fixture() {
  python3 tests/fixtures/hf/make_tiny_t5.py && tar cf "$out/hf-fixtures.tar" tests/fixtures/hf/tiny-t5*
}

if [ "${1:-}" = "--one" ]; then # one step, in a child process so that timeout can bound it
  "step_${2//-/_}"
  exit $?
fi

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(build gpu-tests hf-fixture evaluate-beauty anchor bench-decode bench-model ids-beauty train-beauty)
for step in "${steps[@]}"; do
  declare -F "step_${step//-/_}" >/dev/null || { echo "unknown step '$step'" >&2; exit 2; }
done
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee -a "$log"
status=0
for step in "${steps[@]}"; do
  echo "=== $step" | tee -a "$log"
  start=$(date +%s%N)
  timeout "$limit" "$0" --one "$step" > "$work/$step.out" 2>&1
  rc=$?
  elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  cat "$work/$step.out" >> "$log"
  tail -n 20 "$work/$step.out"
  # The step's JSON reports (progress events left out) go into results.jsonl.
  grep '^{' "$work/$step.out" | grep -v '"event"' > "$work/$step.json" || true
  python3 - "$step" "$rc" "$elapsed_ms" "$work/$step.json" >> "$out/results.jsonl" <<'PY'
import json, sys
step, rc, ms, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
results = []
for line in open(path):
    try:
        results.append(json.loads(line))
    except ValueError:
        pass
print(json.dumps({"step": step, "rc": rc, "seconds": ms / 1000.0, "results": results}))
PY
  [ $rc -eq 0 ] || status=1
done
exit $status
