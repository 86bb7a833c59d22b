#!/usr/bin/env bash
# Run HERE (Debian, after packaging/build.sh): builds .gpu-data/beauty.idgenrec, the Beauty project
# that the GPU host's runs read (the shared datasets do not travel there): the dataset, its default
# tokenizer, and the published phase-0 IDGenRec IDs as snapshot 1 (--repair: see the README).
# Carry .gpu-data along with .gpu-deps.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=build/bin/idgenrec
data=${IDGEN_SHARED_DATASETS:-../shared/datasets}/beauty
[ -x "$bin" ] || { echo "error: $bin missing: run packaging/build.sh first" >&2; exit 1; }
[ -d "$data" ] || { echo "error: $data missing (set IDGEN_SHARED_DATASETS)" >&2; exit 1; }
mkdir -p .gpu-data
project=.gpu-data/beauty.idgenrec
rm -f "$project"
"$bin" import --project "$project" --name beauty --interactions "$data/user_sequence.txt" --items "$data/Amazon_Beauty.item"
"$bin" ids assign --project "$project" --dataset beauty --scheme file --repair \
  --from "$data/item_generative_indexing_phase_0.txt" --users-from "$data/user_generative_index_phase_0.txt" --json | tail -1
# Snapshot 2: the same item IDs with numbered users, so training on it is leak-free (the published
# user IDs were written from every item of the user, the test item included).
"$bin" ids assign --project "$project" --dataset beauty --scheme file --repair \
  --from "$data/item_generative_indexing_phase_0.txt" --name "phase-0 items, numbered users" --json | tail -1
echo "wrote $project ($(du -h "$project" | cut -f1))"
