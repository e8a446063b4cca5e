#!/usr/bin/env bash
# scripts/step-diff.sh NN [FILE] — the lesson of step NN: its container.c
# against the previous step's, coloured on a terminal. With FILE (a path from
# the repository's root, e.g. a workshop exercise), FILE against step NN's.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "make diff: $*" >&2; exit 2; }

[[ ${1:-} =~ ^[0-9]{1,2}$ ]] || die "usage: make diff STEP=NN (NN from 02 to the last step)"
n=$((10#$1))
step_dir() { compgen -G "steps/$(printf %02d "$1")-*" | head -n 1; }
new=$(step_dir "$n") || true
old=$(step_dir $((n - 1))) || true
[[ -n $new ]] || die "no step $(printf %02d "$n") in steps/"
old=${old:+$old/container.c}
old=${2:-$old}
[[ -n $old ]] || die "step $(printf %02d "$n") is the first step: nothing to diff against"

status=0
diff -u --color=auto "$old" "$new/container.c" || status=$?
# diff exits 1 when the files differ, which is the point here.
((status <= 1)) || exit "$status"
