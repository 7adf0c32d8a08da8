#!/usr/bin/env bash
# Alternating A/B of the legacy adoption: this checkout against another commit, in turn, each
# on a fresh copy of the same generated file. On a machine whose speed drifts from one run to
# the next, only alternating runs compare two versions of the code.
#
#   bench/legacy-adopt-ab.sh <base-commit> [pairs=3] [file=/tmp/fg-legacy-bench.db]
#
# Each run's full output stays in $OUT (default /tmp/fg-adopt-ab); one summary line per run.
set -euo pipefail
base=${1:?usage: bench/legacy-adopt-ab.sh <base-commit> [pairs] [file]}
pairs=${2:-3}
file=${3:-/tmp/fg-legacy-bench.db}
here=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-/tmp/fg-adopt-ab}
tree="$out/base-tree"
mkdir -p "$out"
[ -f "$file" ] || { echo "$file does not exist: run bench/legacy-generate.ts first" >&2; exit 1; }
if [ ! -d "$tree" ]; then
  git -C "$here" worktree add --detach -f "$tree" "$base" >/dev/null
  ln -s "$here/node_modules" "$tree/node_modules"
fi
trap 'git -C "$here" worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT

summary() {
  local log=$1
  printf '%s | %s | %s | %s | %s\n' \
    "$(grep -o 'migration:run total[^:]*: [0-9.]* s' "$log" | grep -o '[0-9.]* s$')" \
    "$(grep -o 'activity_instances [0-9.]* s, metric_values [0-9.]* s' "$log")" \
    "$(grep -o 'indexes [0-9.]* s' "$log")" \
    "$(grep -o 'foreign_key_check [0-9.]* s, integrity_check [0-9.]* s' "$log")" \
    "$(grep -o 'peak RSS: [0-9]* MiB' "$log")"
}

for i in $(seq 1 "$pairs"); do
  for side in this base; do
    dir=$here; [ "$side" = base ] && dir=$tree
    log="$out/$side-$i.log"
    (cd "$dir" && npx ts-node --transpile-only bench/legacy-adopt.ts "$file" >"$log" 2>&1)
    echo "$side $i: $(summary "$log")"
  done
done
