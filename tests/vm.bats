#!/usr/bin/env bats
# tests/vm/run.sh, seen from the host: it reports a guest's failures, a hung
# guest and a bad command line with one clear line and a non-zero status.
# (What the guest provides is tested inside it by tests/vm/guest.bats.)

# shellcheck disable=SC2154  # stderr and stderr_lines come from run --separate-stderr
load helpers/common
bats_require_minimum_version 1.5.0

VM=$REPO/tests/vm/run.sh

setup_file() {
  # A directory the guest's test user can read even when this suite runs as
  # root (bats' own temporary directories are private to whoever runs it).
  WORK=$(mktemp -d /tmp/mvrc-vm-test.XXXXXX)
  chmod 0755 "$WORK"
  export WORK
  # (printf, as bats would take an "@test" line in a here-document for its own.)
  # shellcheck disable=SC2016  # the generated suite's own expansions
  printf '%s\n' \
    '@test "the guest is cgroup v2 and runs this as an ordinary user" {' \
    '  [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]' \
    '  [ "$(id -u)" -ne 0 ]' \
    '}' \
    '@test "this test fails on purpose" {' \
    '  false' \
    '}' > "$WORK/mixed.bats"
  chmod 0644 "$WORK/mixed.bats"
}

teardown_file() {
  rm -rf "$WORK"
}

# can_boot: skip unless this host can run the guest.
can_boot() {
  local why
  why=$("$VM" --check 2>&1) || skip "no cgroup v2 guest here: $why"
}

@test "--check answers in one line whether the guest can boot here" {
  run "$VM" --check
  [ "${#lines[@]}" -eq 1 ]
  if [ "$status" -eq 0 ]; then
    [[ $output == "cgroup v2 guest: "* ]]
  else
    [[ $output == no* ]]
  fi
}

@test "a suite that does not exist is refused in one line, before any boot" {
  run --separate-stderr "$VM" --tap "$WORK/missing.bats"
  [ "$status" -eq 2 ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ $stderr == "tests/vm/run.sh: no suite $WORK/missing.bats" ]]
}

@test "a failing test in the guest is reported as TAP and makes the run fail" {
  can_boot
  TMPDIR=$WORK run --separate-stderr "$VM" --tap "$WORK/mixed.bats"
  echo "$output"
  echo "$stderr"
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "1..2" ]
  [ "${lines[1]}" = "ok 1 the guest is cgroup v2 and runs this as an ordinary user" ]
  [ "${lines[2]}" = "not ok 2 this test fails on purpose" ]
  [ "${stderr_lines[-1]}" = "tests/vm/run.sh: bats exited with status 1 in the guest" ]
}

@test "a guest that does not finish in time is stopped and reported in one line" {
  can_boot
  TMPDIR=$WORK MVRC_VM_TIMEOUT=2 run --separate-stderr "$VM" --tap "$WORK/mixed.bats"
  [ "$status" -eq 2 ]
  [ -z "$output" ]
  [ "${stderr_lines[-1]}" = "tests/vm/run.sh: the guest did not finish within 2 s (MVRC_VM_TIMEOUT)" ]
  # Nothing is left behind: no qemu, no run directory.
  run pgrep -f "mvrc_job=$WORK/"
  [ "$status" -eq 1 ]
  [ -z "$(ls -d "$WORK"/mvrc-vm.* 2>/dev/null)" ]
}
