#!/usr/bin/env bats
# mvrc: runs-as root
# Step 02: a new PID namespace. The program under test is $CONTAINER, by
# default steps/02-pid-ns/container. Creating a PID namespace needs root, so
# these tests run as root (or through sudo) and skip otherwise.

load helpers/common

bats_require_minimum_version 1.5.0

setup() {
  step_program 02-pid-ns
  require_root
}

teardown() {
  # Whatever the orphan test left running, if the program under test did
  # not give it to a namespace that died with its PID 1.
  if [[ -n ${ORPHAN:-} ]]; then
    local pid
    for pid in $(pgrep -f "^$ORPHAN "); do kill -KILL "$pid" 2>/dev/null || true; done
  fi
}

@test "the command is PID 1 of its namespace" {
  run $AS_ROOT "$CONTAINER" sh -c 'echo $$'
  [ "$status" -eq 0 ]
  [ "$output" = 1 ]
}

@test "the command's parent is outside its namespace, so its parent PID is 0" {
  run $AS_ROOT "$CONTAINER" sh -c 'echo $PPID'
  [ "$status" -eq 0 ]
  [ "$output" = 0 ]
}

@test "the kernel lists two PIDs for the command: the host's and 1 (NSpid)" {
  # /proc is still the host's here, so /proc/self/status describes the
  # command as the host sees it; NSpid ends with its PID in its namespace.
  run $AS_ROOT "$CONTAINER" grep NSpid /proc/self/status
  [ "$status" -eq 0 ]
  read -r label host_pid ns_pid extra <<<"$output"
  [ "$label" = NSpid: ]
  [ "$host_pid" -gt 1 ]
  [ "$ns_pid" = 1 ]
  [ -z "$extra" ]
}

@test "the command's PID namespace is not the host's (a different ns inode)" {
  host_ns=$(readlink /proc/self/ns/pid)
  run $AS_ROOT "$CONTAINER" readlink /proc/self/ns/pid
  [ "$status" -eq 0 ]
  [[ $output == pid:\[* ]]
  [ "$output" != "$host_ns" ]
}

@test "PID 1 ignores a signal it has no handler for, even from itself" {
  # pid_namespaces(7): the kernel protects a namespace's init. Outside a
  # PID namespace, the same command dies with 128+15.
  run $AS_ROOT "$CONTAINER" sh -c 'kill -TERM $$; echo survived'
  expect_eq "exit status after PID 1 sent itself SIGTERM" 0 "$status"
  [ "$output" = survived ]
}

@test "when PID 1 exits, the kernel kills every other process of its namespace" {
  ORPHAN=$BATS_TEST_TMPDIR/mvrc-orphan
  cp "$(command -v sleep)" "$ORPHAN"
  run $AS_ROOT "$CONTAINER" sh -c '"$1" 300 >/dev/null 2>&1 & echo started' sh "$ORPHAN"
  [ "$status" -eq 0 ]
  [ "$output" = started ]
  # Its command line starts with its own path: ^ keeps pgrep from matching
  # the shell below, whose arguments merely contain that path.
  poll_until 2 bash -c '! pgrep -f "^$1 " >/dev/null' bash "$ORPHAN" || {
    echo "2 s after PID 1 exited, its child still runs: $(pgrep -af "^$ORPHAN ")"
    false
  }
}

@test "the command's exit status is still passed through" {
  run -7 $AS_ROOT "$CONTAINER" sh -c 'exit 7'
  run -127 --separate-stderr $AS_ROOT "$CONTAINER" mvrc-no-such-command
  [[ ${stderr_lines[0]} == container:*"No such file or directory" ]]
}

@test "as an ordinary user it fails: one line with EPERM, then a hint naming step 04" {
  run --separate-stderr as_unprivileged "$CONTAINER" true
  [ "$status" -ne 0 ]
  [[ ${stderr_lines[0]} == "container: "*": Operation not permitted" ]]
  [[ ${stderr_lines[1]} == hint:*"step 04"* ]]
}
