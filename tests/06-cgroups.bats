#!/usr/bin/env bats
# mvrc: also-in-vm
# Step 06: a cgroup for the container, under the caller's own, with memory
# 64 MiB, 32 tasks and half a CPU; removed when the container ends. The
# program under test is $CONTAINER, by default steps/06-cgroups/container.
# Run as an ordinary user whose cgroup is delegated to it (tests/run.sh does
# that on this host's cgroup v1, and runs the suite again in a cgroup v2
# guest); the limits are read where the kernel keeps them, on the host side.

load helpers/common
load helpers/cgroups

bats_require_minimum_version 1.5.0

setup_file() {
  make_rootfs
}

setup() {
  step_program 06-cgroups
  setup_cgroups
}

teardown() {
  stop_container
  unlock_cgroups
  teardown_cgroups
}

@test "the container's cgroup holds its process and the limits, as the host sees them" {
  start_container sleep 30
  for dir in $(container_cgroups "$CPID"); do
    grep -qx "$CPID" "$dir/cgroup.procs" ||
      { echo "the container's process $CPID is not in $dir/cgroup.procs"; false; }
  done
  expect_eq "memory limit (bytes)" 67108864 "$(limit memory "$CPID")"
  expect_eq "pids limit" 32 "$(limit pids "$CPID")"
  expect_eq "cpu limit (quota period, µs)" "50000 100000" "$(limit cpu "$CPID")"
}

@test "a command that needs 200 MiB of memory is killed (137); one that needs 16 MiB runs" {
  # dd reads one block of bs bytes into a buffer of that size. Standard
  # input and output come from the host: the rootfs has no /dev.
  run bash -c '"$@" dd bs=200M count=1 </dev/zero >/dev/null' bash \
    "${IN_SCOPE[@]}" "$CONTAINER" "$ROOTFS"
  expect_eq "exit status of dd bs=200M" 137 "$status"
  run bash -c '"$@" dd bs=16M count=1 </dev/zero >/dev/null' bash \
    "${IN_SCOPE[@]}" "$CONTAINER" "$ROOTFS"
  expect_eq "exit status of dd bs=16M" 0 "$status"
}

@test "a fork bomb stops at 32 tasks" {
  # A subshell forks a 40-stage pipeline of sleeps. At 32 tasks (this shell,
  # the subshell, 30 sleeps) the next fork fails and the subshell gives up;
  # this shell then counts the processes left in /proc without forking.
  pipeline=$(printf 'sleep 10 | %.0s' $(seq 39))
  run "${IN_SCOPE[@]}" "$CONTAINER" "$ROOTFS" sh -c "
    ( $pipeline sleep 10 )
    n=0; for p in /proc/[0-9]*; do n=\$((n + 1)); done; echo tasks=\$n"
  [ "$status" -eq 0 ]
  [[ $output == *"can't fork"* ]]
  [ "${lines[-1]}" = tasks=31 ]
}

@test "a busy loop is throttled to its CPU quota" {
  start_container sh -c 'while :; do :; done'
  poll_until 10 throttled "$CPID" || {
    stat=$(container_cgroup cpu "$CPID")/cpu.stat
    echo "after 10 s of a busy loop, nothing was throttled; $stat holds:"
    cat "$stat"
    false
  }
}

@test "the container sees its own cgroup as / (a cgroup namespace)" {
  run "${IN_SCOPE[@]}" "$CONTAINER" "$ROOTFS" cat /proc/self/cgroup
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -ge 1 ]
  for line in "${lines[@]}"; do
    [[ $line == *:/ ]] || { echo "not /: $line"; return 1; }
  done
}

@test "the cgroup is gone after the container exits, and its status comes through" {
  make_gate
  start_container sh -c 'read x </gate; exit 3'
  dirs=$(container_cgroups "$CPID")
  for dir in $dirs; do
    [ -d "$dir" ] || { echo "no cgroup directory $dir while the container runs"; false; }
  done
  open_gate
  wait_runtime
  expect_eq "exit status of the container" 3 "$STATUS"
  for dir in $dirs; do
    [ ! -e "$dir" ] || { echo "the container's cgroup is still there: $dir"; false; }
  done
}

@test "the cgroup is gone after the container was killed (SIGKILL: 137)" {
  start_container sleep 30
  dirs=$(container_cgroups "$CPID")
  for dir in $dirs; do
    [ -d "$dir" ] || { echo "no cgroup directory $dir while the container runs"; false; }
  done
  kill -KILL "$CPID"
  wait_runtime
  expect_eq "exit status of the container" 137 "$STATUS"
  for dir in $dirs; do
    [ ! -e "$dir" ] || { echo "the container's cgroup is still there: $dir"; false; }
  done
}

@test "where the user may not create cgroups, it fails with the reason and the fix" {
  [[ $(id -u) -ne 0 ]] || skip "root may create cgroups anywhere: run the suite as an ordinary user (tests/run.sh)"
  # A cgroup of ours that we make read-only is, to the runtime, what a
  # cgroup that was never delegated to the user is: no mkdir below it.
  lock_cgroups
  run in_locked_cgroups "$CONTAINER" "$ROOTFS" true
  expect_eq "exit status" 125 "$status"
  [[ ${lines[0]} == "container: "*"/container-"*": Permission denied" ]]
  [[ ${lines[1]} == "hint: "*"systemd-run --user --scope -p Delegate=yes"* ]]
  for dir in "${LOCKED[@]}"; do
    if compgen -G "$dir/container-*"; then return 1; fi
  done
}
