#!/usr/bin/env bash
# scripts/grade.sh NN DIR [junit] — grade a student's step: `make grade STEP=NN
# DIR=path/to/your/step [FORMAT=junit]`.
#
# 1. Builds DIR/container.c with step NN's own Makefile, in a fresh directory:
#    every student gets the same flags (warnings are errors), no stale binary
#    is graded, and the program is readable by the test account. A build that
#    fails is a graded failure, with the compiler's messages.
# 2. Runs step NN's bats suite, tests/NN-name.bats, against that program
#    through $CONTAINER, with tests/run.sh: as the user who runs this, or, run
#    as root, the rootless suites as the unprivileged account mvrc-test with
#    delegated cgroups, and the root-only suites (02, 03) as root. Without
#    root or sudo, those skip with the reason: skipped is not passed. As
#    root on a host that boots tests/vm's cgroup v2 guest, a suite marked
#    also-in-vm (06, 07) runs there too, and its tests count twice.
# 3. Ends with one line, `NN-name: P passed, F failed[, S skipped]`.
#
# Exit status: 0 only when the build worked and every test ran and passed;
# 1 otherwise; 2 for a usage error.
#
# FORMAT=junit also writes a JUnit XML report for course autograders, to
# tests/out/grade-NN-name.xml, or to $MVRC_JUNIT_FILE when that is set; the
# path is printed.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PROG="make grade"
# shellcheck source=scripts/steps.bash
. "$REPO/scripts/steps.bash"

USAGE="usage: make grade STEP=NN DIR=path/to/your/step [FORMAT=junit]"

parse_step "${1:-}"
dir=${2:-}
format=${3:-}
[[ -n $dir ]] || die "which folder? add DIR=path/to/your/step ($USAGE)"
[[ -d $dir ]] || die "no folder $dir"
[[ -f $dir/container.c ]] || die "no container.c in $dir: the step's whole program is graded from that one file"
case $format in
  "" | tap) format= ;;
  junit) ;;
  *) die "unknown FORMAT=$format: the only format is junit ($USAGE)" ;;
esac
suite=$REPO/tests/$STEP.bats
[[ -f $suite ]] || die "step $STEP has no suite tests/$STEP.bats to grade it with"
dir=$(cd "$dir" && pwd)
report=${MVRC_JUNIT_FILE:-$REPO/tests/out/grade-$STEP.xml}
# Started from a bats test (a course's own harness, tests/workshop.bats), the
# suite's bats must not inherit the outer run's: bats puts its libexec first
# in PATH, where `bats` is not the real command, and exports BATS_* variables.
PATH=$(tr ':' '\n' <<<"$PATH" | grep -v '/libexec/bats-core/*$' | paste -sd: -)
unset "${!BATS_@}"

# The build and the report, in a directory the test account can read.
work=$(mktemp -d /tmp/mvrc-grade.XXXXXX) || die "cannot make a temporary directory in /tmp"
trap 'rm -rf "$work"' EXIT
chmod 0755 "$work"

# summary PASSED FAILED SKIPPED [NOTE]: the last line; exit 0 only when all passed.
summary() {
  local line="$STEP: $1 passed, $2 failed"
  (($3)) && line+=", $3 skipped"
  [[ -n ${4:-} ]] && line+=" ($4)"
  echo "$line"
  (($1 > 0 && $2 == 0 && $3 == 0))
  exit
}

# xml_text: stdin as XML character data (no control characters, escaped).
xml_text() {
  tr -d '\000-\010\013\014\016-\037' |
    sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'
}

# save_report FILE: put the JUnit report where it belongs and say where.
save_report() {
  if ! { mkdir -p "$(dirname "$report")" && cp "$1" "$report"; }; then
    echo "$PROG: cannot write the JUnit report to $report" >&2
    return 1
  fi
  echo "JUnit report: $report"
}

# ---- 1. the build ---------------------------------------------------------

cp "$REPO/steps/$STEP/Makefile" "$dir/container.c" "$work/"
echo "== building $dir/container.c with steps/$STEP/Makefile (warnings are errors)"
make -C "$work" --no-print-directory container >"$work/build.log" 2>&1
build_status=$?
cat "$work/build.log"
if ((build_status != 0)) || [[ ! -x $work/container ]]; then
  tests=$(bats --count "$suite" 2>/dev/null) || tests="its"
  echo
  echo "container.c does not compile: the compiler's messages are above. No test ran."
  if [[ $format == junit ]]; then
    {
      echo '<?xml version="1.0" encoding="UTF-8"?>'
      echo '<testsuites>'
      echo "<testsuite name=\"$STEP\" tests=\"1\" failures=\"1\" errors=\"0\" skipped=\"0\">"
      echo "    <testcase classname=\"$STEP\" name=\"container.c compiles with the step's Makefile\">"
      printf '        <failure type="build">'
      xml_text <"$work/build.log"
      echo '</failure>'
      echo '    </testcase>'
      echo '</testsuite>'
      echo '</testsuites>'
    } >"$work/build.xml"
    save_report "$work/build.xml"
  fi
  summary 0 1 0 "the build failed, so none of $tests tests ran"
fi

# ---- 2. the suite ---------------------------------------------------------

export CONTAINER=$work/container
flags=--print-output-on-failure
if [[ $format == junit ]]; then
  # bats writes report.xml as whoever runs the suite: maybe the test account.
  mkdir -m 1777 "$work/junit"
  flags+=" --report-formatter junit --output $work/junit"
fi
echo "== grading it with tests/$STEP.bats"

totals=()
while IFS= read -r line; do
  if [[ $line =~ ^tests:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
    totals=("${BASH_REMATCH[@]:1}")
  else
    printf '%s\n' "$line"
  fi
done < <(MVRC_BATS_FLAGS=$flags "$REPO/tests/run.sh" "$suite" 2>&1)

if ((${#totals[@]} == 0)); then
  summary 0 1 0 "tests/run.sh ended without its result line"
fi

if [[ $format == junit ]]; then
  # bats 1.8 writes the report from a process of its own, which may still be
  # finishing when bats exits: wait for the closing tag, at most 10 s.
  for ((i = 0; i < 200; i++)); do
    [[ $(tail -n 1 "$work/junit/report.xml" 2>/dev/null) == "</testsuites>" ]] && break
    sleep 0.05
  done
  if [[ $(tail -n 1 "$work/junit/report.xml" 2>/dev/null) == "</testsuites>" ]]; then
    save_report "$work/junit/report.xml" || totals[1]=$((totals[1] + 1))
  else
    echo "$PROG: bats wrote no complete JUnit report" >&2
    totals[1]=$((totals[1] + 1))
  fi
fi

if ((totals[0] == 0 && totals[1] == 0)); then
  echo "Nothing was graded: every test skipped, for the reasons above."
fi
summary "${totals[@]}"
