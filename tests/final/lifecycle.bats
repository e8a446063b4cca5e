#!/usr/bin/env bats
# mvrc run: signals, dying with mvrc, the terminal, and leaving nothing
# behind.

load ../helpers/common
load mvrc

bats_require_minimum_version 1.5.0

# A test that failed half-way must not leave its container running.
teardown() {
  if [[ -n ${MVRC_PID:-} ]] && kill -0 "$MVRC_PID" 2>/dev/null; then
    kill -KILL "$MVRC_PID"
  fi
}

# start_trapping OUT MARKER: a container that reports each signal it gets.
# A shell ignores SIGINT and SIGQUIT in a background job, and mvrc forwards
# no signal its caller ignores: env --default-signal gives them back.
start_trapping() {
  local out=$1 m=$2
  env --default-signal=INT,QUIT "$MVRC" run "$ROOTFS" sh -c "
    for s in TERM INT HUP QUIT USR1 USR2 WINCH; do trap \"echo got \$s\" \$s; done
    trap 'echo got TERM; exit 143' TERM
    echo ready; while :; do sleep 0.05; done; : $m" >"$out" 2>&1 3>&- &
  MVRC_PID=$!
  poll_until 10 grep -q ready "$out"
}

@test "SIGTERM to mvrc reaches the container, and its exit status is mvrc's" {
  local out=$BATS_TEST_TMPDIR/out
  start_trapping "$out" "$(marker)"
  kill -TERM "$MVRC_PID"
  wait_status "$MVRC_PID"
  [ "$status" -eq 143 ]
  grep -qx "got TERM" "$out"
}

@test "INT, HUP, QUIT, USR1, USR2 and WINCH are forwarded too" {
  local out=$BATS_TEST_TMPDIR/out s
  start_trapping "$out" "$(marker)"
  for s in INT HUP QUIT USR1 USR2 WINCH; do
    kill -"$s" "$MVRC_PID"
    poll_until 10 grep -qx "got $s" "$out"
  done
  kill -TERM "$MVRC_PID"
  wait_status "$MVRC_PID"
  [ "$status" -eq 143 ]
}

@test "a signal the caller ignores is not forwarded (nohup)" {
  local out=$BATS_TEST_TMPDIR/out m
  m=$(marker)
  nohup "$MVRC" run "$ROOTFS" sh -c "trap 'echo got HUP' HUP; trap 'exit 143' TERM; echo ready; while :; do sleep 0.05; done; : $m" \
    >"$out" 2>&1 3>&- &
  MVRC_PID=$!
  poll_until 10 grep -q ready "$out"
  kill -HUP "$MVRC_PID"
  kill -TERM "$MVRC_PID"
  wait_status "$MVRC_PID"
  [ "$status" -eq 143 ]
  ! grep -q "got HUP" "$out"
}

@test "SIGKILL of mvrc takes the whole container with it" {
  local m out=$BATS_TEST_TMPDIR/out
  m=$(marker)
  "$MVRC" run "$ROOTFS" sh -c "sh -c 'sleep 999; : inner-$m' & sleep 1000; : $m" >"$out" 2>&1 3>&- &
  MVRC_PID=$!
  poll_until 10 process_with "inner-$m"
  kill -KILL "$MVRC_PID"
  wait_status "$MVRC_PID"
  # PID 1 and the process it started, in the container's PID namespace
  poll_until 10 no_process_with "$m"
}

@test "-t gives the container a terminal of its own" {
  requires_cmd script
  run -0 script -qec "'$MVRC' run -t '$ROOTFS' sh -c 'tty; echo TERM=\$TERM; test -t 0 && echo stdin-tty'" /dev/null
  [[ $output == *"/dev/pts/0"* ]]
  [[ $output == *"TERM=xterm"* ]]
  [[ $output == *"stdin-tty"* ]]
}

@test "-t makes the pty the controlling terminal and /dev/console" {
  requires_cmd script
  run -0 script -qec "'$MVRC' run -t '$ROOTFS' sh -c 'cut -d\" \" -f7 /proc/1/stat; ls -l /dev/console'" /dev/null
  [[ ${lines[0]} =~ ^34816 ]]     # tty_nr of /dev/pts/0: major 136, minor 0
  [[ ${lines[1]} == *"136,"* ]]
}

@test "-t -i relays our input, and the exit status comes back" {
  requires_cmd script
  run -5 script -qec "'$MVRC' run -it '$ROOTFS' sh" /dev/null <<<$'echo relayed-$((40+2))\nexit 5'
  [[ $output == *"relayed-42"* ]]
}

@test "-t restores the caller's terminal settings afterwards" {
  requires_cmd script
  run -0 script -qec "stty -g >'$BATS_TEST_TMPDIR/before'; '$MVRC' run -t '$ROOTFS' true; stty -g >'$BATS_TEST_TMPDIR/after'" /dev/null
  [ -s "$BATS_TEST_TMPDIR/before" ]
  cmp "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
}

@test "-t passes the caller's window size on" {
  requires_cmd script
  run -0 script -qec "stty rows 33 cols 101; '$MVRC' run -t '$ROOTFS' stty size" /dev/null
  [[ $output == *"33 101"* ]]
}

@test "twenty runs leave no mount and no process behind" {
  local m before i
  m=$(marker)
  before=$(mountinfo_count)
  for i in $(seq 20); do
    "$MVRC" run "$ROOTFS" sh -c "sh -c 'sleep 1000; : $m' & true" 3>&-
  done
  [ "$(mountinfo_count)" = "$before" ]
  poll_until 5 no_process_with "$m"
}

@test "a failing setup leaves no process behind either" {
  local m before
  m=$(marker)
  before=$(mountinfo_count)
  run -125 "$MVRC" run -v "$BATS_TEST_TMPDIR/nothing-here:/x" "$ROOTFS" sh -c ": $m"
  run -127 "$MVRC" run "$ROOTFS" "no-such-$m"
  [ "$(mountinfo_count)" = "$before" ]
  no_process_with "$m"
}
