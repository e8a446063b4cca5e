#!/usr/bin/env bash
# scripts/exercise.sh exercise|hint|solution NN — the workshop's exercises.
#
#   make exercise STEP=NN   workshop/NN-name/: the code to start from (step
#                           NN-1's container.c), the step's Makefile, TASK.md
#   make hint STEP=NN       the next hint for step NN, one at a time
#   make solution STEP=NN   your container.c against the real step's
#
# The task and the hints of step NN are docs/exercises/NN-name.md: the task
# first, then one `## Hint ...` section per hint, revealed in order. The
# number of hints shown so far is kept in workshop/NN-name/.hints-shown.
# A step without an exercise text gets a task pointing to its README.
# MVRC_WORKSHOP_DIR puts the exercises somewhere else than workshop/.
# The first step starts from docs/exercises/NN-name.c, a program that does
# not do the step's work yet.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-}
PROG="make $cmd"
# shellcheck source=scripts/steps.bash
. "$REPO/scripts/steps.bash"
cd "$REPO" || exit 2

parse_step "${2:-}"
NN=$(printf %02d "$STEP_NUM")
EX=${MVRC_WORKSHOP_DIR:-workshop}/$STEP
TEXT=docs/exercises/$STEP.md

# hint_count: how many `## Hint` sections the step's text has.
hint_count() {
  [[ -f $TEXT ]] || { echo 0; return; }
  grep -c '^## Hint' "$TEXT"
}

# task_text: the step's task, without its hints.
task_text() {
  if [[ -f $TEXT ]]; then
    sed '/^## Hint/,$d' "$TEXT"
    return
  fi
  cat <<EOF
# Step $NN: $STEP

Add to container.c what step $NN adds to the step before it: the concept, the
man pages and what it must do are in steps/$STEP/README.md ("what changed"
tells what; try not to read the diff itself).

EOF
}

exercise() {
  local start prev hints
  if [[ -e $EX ]]; then
    echo "$PROG: $EX exists already: keep working in it, or remove it to start over" >&2
    exit 1
  fi
  if [[ -f docs/exercises/$STEP.c ]]; then
    start=docs/exercises/$STEP.c
  else
    prev=$(step_name $((STEP_NUM - 1))) ||
      die "step $NN is the first step and has no starting code (docs/exercises/$STEP.c)"
    start=steps/$prev/container.c
  fi
  hints=$(hint_count)
  mkdir -p "$EX" || exit 1
  cp "$start" "$EX/container.c" && cp "steps/$STEP/Makefile" "$EX/Makefile" || exit 1
  {
    task_text
    cat <<EOF
## How to work

Your starting point, container.c, is $start. Edit it here, then:

    cd $EX
    make                 # builds ./container with the step's flags: warnings are errors
    ./container ...      # try it (the step's README has commands to try)
    cd ../..
    make grade STEP=$NN DIR=$EX

**Done** when \`make grade STEP=$NN DIR=$EX\` ends with
\`$STEP: N passed, 0 failed\` (and nothing skipped) and exits 0. Every failing
test names the behaviour it checks and shows what the program printed.

Stuck? \`make hint STEP=$NN\` shows the next hint ($hints in all), one at a
time. \`make solution STEP=$NN\` shows your container.c against the real
step's (lines with + are the solution's), and steps/$STEP/README.md explains it.
EOF
  } >"$EX/TASK.md"
  echo "0" >"$EX/.hints-shown"
  echo "Created $EX/ from $start: read $EX/TASK.md, then edit $EX/container.c."
}

hint() {
  local shown total
  [[ -d $EX ]] || die "no $EX: start the exercise first with make exercise STEP=$NN"
  total=$(hint_count)
  shown=$(cat "$EX/.hints-shown" 2>/dev/null) || shown=0
  [[ $shown =~ ^[0-9]+$ ]] || shown=0
  if ((shown >= total)); then
    echo "No more hints for step $NN (all $total shown). make solution STEP=$NN shows the answer."
    return 0
  fi
  shown=$((shown + 1))
  # Section number $shown: its title after "## Hint N:", then its text.
  awk -v n="$shown" -v total="$total" -v step="$NN" '
    /^## Hint/ {
      if (++k == n) {
        sub(/^## Hint[^:]*:? */, "")
        printf "Hint %d of %d for step %s: %s\n", n, total, step, $0
      }
      next
    }
    k == n' "$TEXT"
  echo "$shown" >"$EX/.hints-shown"
}

solution() {
  if [[ -f $EX/container.c ]]; then
    if cmp -s "$EX/container.c" "steps/$STEP/container.c"; then
      echo "Your $EX/container.c is steps/$STEP/container.c, line for line."
      return 0
    fi
    echo "Your $EX/container.c against steps/$STEP/container.c (+ lines are the solution's):"
    scripts/step-diff.sh "$NN" "$EX/container.c"
  else
    echo "No $EX yet: the lesson of step $NN, steps/$STEP/container.c against the step before it:"
    scripts/step-diff.sh "$NN"
  fi
}

case $cmd in
  exercise | hint | solution) "$cmd" ;;
  *) die "usage: scripts/exercise.sh exercise|hint|solution NN" ;;
esac
