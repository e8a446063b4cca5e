#!/usr/bin/env bats
# Step 01: fork, exec, wait. The program under test is $CONTAINER, by default
# steps/01-fork/container: `CONTAINER=path bats tests/01-fork.bats` grades yours.

load helpers/common

bats_require_minimum_version 1.5.0

setup() {
  step_program 01-fork
}

@test "the command receives its arguments and writes to our stdout" {
  run "$CONTAINER" printf '%s|' one 'two words' three
  [ "$status" -eq 0 ]
  [ "$output" = "one|two words|three|" ]
}

@test "the command reads our stdin" {
  run sh -c 'echo "from stdin" | "$1" cat' sh "$CONTAINER"
  [ "$status" -eq 0 ]
  [ "$output" = "from stdin" ]
}

@test "the command runs in a new process whose parent is the container" {
  # The command's parent process is executing $CONTAINER: it forked, it did
  # not just exec the command in its own place.
  run "$CONTAINER" sh -c 'echo $$; readlink /proc/$PPID/exe'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" -gt 1 ]
  expect_eq "the program the command's parent runs" "$(readlink -f "$CONTAINER")" "${lines[1]}"
}

@test "the command's exit status is passed through" {
  run -3 "$CONTAINER" sh -c 'exit 3'
  run -0 "$CONTAINER" true
  run -1 "$CONTAINER" false
}

@test "a command killed by signal N makes the container exit with 128+N" {
  run -143 "$CONTAINER" sh -c 'kill -TERM $$'
  run -137 "$CONTAINER" sh -c 'kill -KILL $$'
}

@test "a command that does not exist exits 127 with one line naming execvp" {
  # A PATH directory we may not search makes execvp(3) report EACCES (126)
  # instead of ENOENT: search only the standard ones.
  PATH=/usr/local/bin:/usr/bin:/bin run -127 --separate-stderr "$CONTAINER" mvrc-no-such-command
  [ "$output" = "" ]
  [ "${#stderr_lines[@]}" -eq 1 ]
  [[ ${stderr_lines[0]} == container:*execvp*"No such file or directory" ]]
}

@test "a file that exists but cannot be executed exits 126" {
  printf 'echo should not run\n' >"$BATS_TEST_TMPDIR/not-executable"
  chmod 0644 "$BATS_TEST_TMPDIR/not-executable"
  run -126 --separate-stderr "$CONTAINER" "$BATS_TEST_TMPDIR/not-executable"
  [ "$output" = "" ]
  [[ ${stderr_lines[0]} == container:*execvp*"Permission denied" ]]
}

@test "no command is a usage error: exit 125 and a usage line" {
  run -125 --separate-stderr "$CONTAINER"
  [[ $stderr == usage:* ]]
}
