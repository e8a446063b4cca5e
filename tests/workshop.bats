#!/usr/bin/env bats
# The workshop kit: `make grade`, `make exercise`, `make hint`, `make solution`
# (scripts/grade.sh, scripts/exercise.sh). Runs as an ordinary user: grading
# needs no root. It grades small steps only, 04 and 05, to stay fast.

load helpers/common

bats_require_minimum_version 1.5.0

setup() {
  # Exercises go to a directory of this test, never to the tree's workshop/.
  export MVRC_WORKSHOP_DIR=$BATS_TEST_TMPDIR/workshop
  export MVRC_JUNIT_FILE=$BATS_TEST_TMPDIR/report.xml
}

# grade NN DIR [FORMAT]: `make grade`, its output in $output, make's own
# complaint in $stderr.
grade() {
  run --separate-stderr make -s -C "$REPO" grade STEP="$1" DIR="$2" FORMAT="${3:-}"
}

# count_tests NN-name: how many tests the step's suite holds.
count_tests() {
  bats --count "$REPO/tests/$1.bats"
}

# junit_counts FILE: "TESTCASES FAILURES SKIPPED" of a JUnit file, or fails
# when it is not well-formed XML.
junit_counts() {
  python3 - "$1" <<'EOF'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = root.findall(".//testcase")
print(len(cases),
      sum(1 for c in cases if c.find("failure") is not None),
      sum(1 for c in cases if c.find("skipped") is not None))
EOF
}

@test "grading the real step 04 passes: exit 0 and every test counted as passed" {
  n=$(count_tests 04-userns)
  grade 04 "$REPO/steps/04-userns"
  [ "$status" -eq 0 ]
  [ "${lines[-1]}" = "04-userns: $n passed, 0 failed" ]
}

@test "grading step 04's code as step 05 fails, and the summary line counts the failures" {
  grade 05 "$REPO/steps/04-userns"
  [ "$status" -ne 0 ]
  [[ ${lines[-1]} =~ ^05-mount-chroot:\ [0-9]+\ passed,\ [1-9][0-9]*\ failed ]]
  # Each failure names its test and shows what the program printed.
  [[ $output == *"not ok "*"the rootfs"*"# Last output:"* ]]
}

@test "a step that does not compile is a failed grade showing the compiler's error" {
  mkdir "$BATS_TEST_TMPDIR/broken"
  sed 's/^int main(.*/&\n\tthis_does_not_compile;/' "$REPO/steps/04-userns/container.c" \
    >"$BATS_TEST_TMPDIR/broken/container.c"
  grade 04 "$BATS_TEST_TMPDIR/broken" junit
  [ "$status" -ne 0 ]
  [[ $output == *"error: "*this_does_not_compile* ]]
  [[ $output == *"container.c does not compile"* ]]
  [[ ${lines[-1]} == "04-userns: 0 passed, 1 failed (the build failed"* ]]
  # The course's autograder sees one failed testcase holding the error.
  run junit_counts "$MVRC_JUNIT_FILE"
  [ "$output" = "1 1 0" ]
  grep -q this_does_not_compile "$MVRC_JUNIT_FILE"
}

@test "FORMAT=junit writes valid XML with one testcase per test and the failures marked" {
  n=$(count_tests 05-mount-chroot)
  grade 05 "$REPO/steps/04-userns" junit
  [ "$status" -ne 0 ]
  [[ $output == *"JUnit report: $MVRC_JUNIT_FILE"* ]]
  [[ ${lines[-1]} =~ ^05-mount-chroot:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]
  failed=${BASH_REMATCH[2]}
  run junit_counts "$MVRC_JUNIT_FILE"
  [ "$status" -eq 0 ]
  read -r cases failures _ <<<"$output"
  [ "$cases" -eq "$n" ]
  [ "$failures" -eq "$failed" ]
}

@test "without root or sudo a root-only step is skipped with the reason, not passed" {
  if [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    skip "passwordless sudo is at hand here, so step 02's suite would run as root"
  fi
  n=$(count_tests 02-pid-ns)
  run --separate-stderr as_unprivileged make -s -C "$REPO" grade STEP=02 DIR="$REPO/steps/02-pid-ns"
  [ "$status" -ne 0 ]
  [[ $output == *"# skip needs root"* ]]
  [ "${lines[-1]}" = "02-pid-ns: 0 passed, 0 failed, $n skipped" ]
}

@test "make exercise starts from the previous step, and grading it untouched fails" {
  run make -s -C "$REPO" exercise STEP=04
  [ "$status" -eq 0 ]
  ex=$MVRC_WORKSHOP_DIR/04-userns
  cmp "$ex/container.c" "$REPO/steps/03-uts/container.c"
  cmp "$ex/Makefile" "$REPO/steps/04-userns/Makefile"
  grep -q "make grade STEP=04 DIR=$ex" "$ex/TASK.md"
  grep -q "user_namespaces(7)" "$ex/TASK.md"
  run grep -c "^## Hint" "$ex/TASK.md"
  [ "$output" = 0 ]
  grade 04 "$ex"
  [ "$status" -ne 0 ]
  [[ ${lines[-1]} =~ ^04-userns:\ [0-9]+\ passed,\ [1-9][0-9]*\ failed ]]
}

@test "make exercise refuses to overwrite an exercise in progress" {
  make -s -C "$REPO" exercise STEP=04
  echo "/* my work */" >>"$MVRC_WORKSHOP_DIR/04-userns/container.c"
  run --separate-stderr make -s -C "$REPO" exercise STEP=04
  [ "$status" -ne 0 ]
  [[ $stderr == *"04-userns exists already"* ]]
  [ "$(tail -n 1 "$MVRC_WORKSHOP_DIR/04-userns/container.c")" = "/* my work */" ]
}

@test "make hint reveals the hints one at a time, in order, then says there are no more" {
  total=$(grep -c '^## Hint' "$REPO/docs/exercises/04-userns.md")
  [ "$total" -ge 2 ]
  run --separate-stderr make -s -C "$REPO" hint STEP=04
  [ "$status" -ne 0 ]
  [[ $stderr == *"make exercise STEP=04"* ]]
  make -s -C "$REPO" exercise STEP=04
  for ((i = 1; i <= total; i++)); do
    run make -s -C "$REPO" hint STEP=04
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == "Hint $i of $total for step 04: "* ]]
    [[ $output != *"Hint $((i + 1)) of"* ]]
    [ "$(cat "$MVRC_WORKSHOP_DIR/04-userns/.hints-shown")" = "$i" ]
  done
  run make -s -C "$REPO" hint STEP=04
  [ "$status" -eq 0 ]
  [[ $output == "No more hints for step 04"* ]]
}

@test "make solution shows what the exercise lacks against the real step" {
  make -s -C "$REPO" exercise STEP=04
  run make -s -C "$REPO" solution STEP=04
  [ "$status" -eq 0 ]
  [[ $output == *"+"*CLONE_NEWUSER* ]]
  [[ $output == *"+++ steps/04-userns/container.c"* ]]
}

@test "grade without a folder, or a folder without container.c, is one line and exit 2" {
  run --separate-stderr "$REPO/scripts/grade.sh" 04 ""
  [ "$status" -eq 2 ]
  [[ $stderr == "make grade: which folder?"* ]]
  run --separate-stderr "$REPO/scripts/grade.sh" 04 "$BATS_TEST_TMPDIR"
  [ "$status" -eq 2 ]
  [[ $stderr == "make grade: no container.c in $BATS_TEST_TMPDIR"* ]]
  [ "${#stderr_lines[@]}" -eq 1 ]
}
