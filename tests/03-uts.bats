#!/usr/bin/env bats
# mvrc: runs-as root
# Step 03: a new UTS namespace with the hostname "container". The program
# under test is $CONTAINER, by default steps/03-uts/container. Creating
# namespaces still needs root: these tests run as root (or through sudo).

load helpers/common

bats_require_minimum_version 1.5.0

setup() {
  step_program 03-uts
  require_root
  HOST_NAME=$(cat /proc/sys/kernel/hostname)
}

teardown() {
  # A program without its own UTS namespace renames the host: put it back.
  if [[ -n ${HOST_NAME:-} && $(cat /proc/sys/kernel/hostname) != "$HOST_NAME" ]]; then
    $AS_ROOT hostname "$HOST_NAME"
  fi
}

@test "the command sees the hostname container" {
  # /proc/sys/kernel/hostname shows the reader's own UTS namespace.
  run $AS_ROOT "$CONTAINER" cat /proc/sys/kernel/hostname
  [ "$status" -eq 0 ]
  [ "$output" = container ]
}

@test "the host's hostname is unchanged, even when the command renames its own" {
  run $AS_ROOT "$CONTAINER" sh -c 'hostname renamed-inside; cat /proc/sys/kernel/hostname'
  [ "$status" -eq 0 ]
  [ "$output" = renamed-inside ]
  expect_eq "the host's hostname" "$HOST_NAME" "$(cat /proc/sys/kernel/hostname)"
}

@test "the command's UTS namespace is not the host's (a different ns inode)" {
  host_ns=$(readlink /proc/self/ns/uts)
  run $AS_ROOT "$CONTAINER" readlink /proc/self/ns/uts
  [ "$status" -eq 0 ]
  [[ $output == uts:\[* ]]
  [ "$output" != "$host_ns" ]
}

@test "every run starts from a fresh UTS namespace named container" {
  run $AS_ROOT "$CONTAINER" hostname first-run
  [ "$status" -eq 0 ]
  run $AS_ROOT "$CONTAINER" uname -n
  [ "$status" -eq 0 ]
  [ "$output" = container ]
}

@test "the command is still PID 1 of its own PID namespace" {
  run $AS_ROOT "$CONTAINER" sh -c 'echo $$'
  [ "$status" -eq 0 ]
  [ "$output" = 1 ]
}

@test "the command's exit status is still passed through" {
  run -9 $AS_ROOT "$CONTAINER" sh -c 'exit 9'
}

@test "as an ordinary user it fails: one line with EPERM, then a hint naming step 04" {
  run --separate-stderr as_unprivileged "$CONTAINER" true
  [ "$status" -ne 0 ]
  [[ ${stderr_lines[0]} == "container: "*": Operation not permitted" ]]
  [[ ${stderr_lines[1]} == hint:*"step 04"* ]]
}
