# scripts/steps.bash — sourced by the scripts that take STEP=NN: finds a step
# of steps/[0-9][0-9]-*/ by its number. The caller sets REPO (the repository
# root) and PROG (its name in messages, e.g. "make grade") before sourcing.

# die MESSAGE: one line on stderr, exit status 2.
die() {
  echo "$PROG: $*" >&2
  exit 2
}

# step_name N: the folder name of step N (04 -> 04-userns); fails when there
# is no such step.
step_name() {
  local d
  d=$(compgen -G "$REPO/steps/$(printf %02d "$((10#$1))")-*" | head -n 1)
  [[ -n $d ]] || return 1
  basename "$d"
}

# parse_step ARG: set STEP_NUM (4) and STEP (04-userns) from ARG, a step
# number of one or two digits; dies with the usage when ARG is not one.
parse_step() {
  [[ ${1:-} =~ ^[0-9]{1,2}$ ]] || die "which step? add STEP=NN (one of: $(step_numbers))"
  STEP_NUM=$((10#$1))
  # shellcheck disable=SC2034  # STEP is for the scripts that source this file.
  STEP=$(step_name "$STEP_NUM") || die "no step $(printf %02d "$STEP_NUM") in steps/ (there are: $(step_numbers))"
}

# step_numbers: the numbers of the steps present, e.g. "01 02 03".
step_numbers() {
  local d list=()
  for d in "$REPO"/steps/[0-9][0-9]-*/; do
    d=${d%/}
    list+=("${d##*/}")
  done
  list=("${list[@]%%-*}")
  echo "${list[*]}"
}
