#!/usr/bin/env bats
# mvrc run: the command line, exit statuses, PID 1, hostname, environment.

load ../helpers/common
load mvrc

bats_require_minimum_version 1.5.0

@test "mvrc --version prints mvrc and its version" {
  run -0 "$MVRC" --version
  [[ $output =~ ^mvrc\ [0-9]+\.[0-9]+ ]]
}

@test "mvrc --help describes mvrc run and exits 0" {
  run -0 "$MVRC" --help
  [[ $output == *"mvrc run [OPTIONS] ROOTFS CMD"* ]]
}

@test "the command's exit status is mvrc's" {
  run -0 "$MVRC" run "$ROOTFS" true
  run -1 "$MVRC" run "$ROOTFS" false
  run -42 "$MVRC" run "$ROOTFS" sh -c 'exit 42'
}

@test "a command that is not found is 127 with the reason" {
  run -127 --separate-stderr "$MVRC" run "$ROOTFS" no-such-command
  [ "$stderr" = "mvrc: exec no-such-command: No such file or directory" ]
}

@test "a command that cannot be executed is 126 with the reason" {
  run -126 --separate-stderr "$MVRC" run "$ROOTFS" /etc/passwd
  [ "$stderr" = "mvrc: exec /etc/passwd: Permission denied" ]
}

@test "a container killed by signal 9 makes mvrc exit 137" {
  local m out=$BATS_TEST_TMPDIR/out
  m=$(marker)
  "$MVRC" run "$ROOTFS" sh -c "echo started; sleep 1000; : $m" >"$out" 2>&1 3>&- &
  local pid=$!
  poll_until 10 grep -q started "$out" || kill -KILL "$pid"
  # From outside its namespace, SIGKILL reaches even a PID 1.
  pkill -KILL -f -- "sh -c echo started; sleep 1000; : $m"
  wait_status "$pid"
  [ "$status" -eq 137 ]
}

@test "an unknown option is 125 with mvrc: <what>" {
  run -125 --separate-stderr "$MVRC" run --bogus "$ROOTFS" true
  [ "${stderr_lines[0]}" = "mvrc: run: unknown option '--bogus'" ]
}

@test "an unknown command is 125" {
  run -125 --separate-stderr "$MVRC" frobnicate
  [ "${stderr_lines[0]}" = "mvrc: unknown command 'frobnicate'" ]
}

@test "a missing rootfs is 125 with the reason" {
  run -125 --separate-stderr "$MVRC" run "$BATS_TEST_TMPDIR/none" true
  [ "$stderr" = "mvrc: rootfs $BATS_TEST_TMPDIR/none: No such file or directory" ]
}

@test "a bad size is 125 with the reason" {
  run -125 --separate-stderr "$MVRC" run -m 12zz "$ROOTFS" true
  [[ $stderr == "mvrc: invalid size '12zz': unknown unit"* ]]
}

@test "the command is PID 1 of a new PID namespace" {
  run -0 "$MVRC" run "$ROOTFS" sh -c 'echo $$; ls /proc | grep -c "^[0-9]"'
  [ "${lines[0]}" = 1 ]
  # sh itself and the ls: nothing of the host's
  [ "${lines[1]}" -le 3 ]
}

@test "the hostname defaults to a generated name mvrc-<hex>" {
  run -0 "$MVRC" run "$ROOTFS" cat /proc/sys/kernel/hostname
  [[ $output =~ ^mvrc-[0-9a-f]{12}$ ]]
}

@test "--name names the container and sets its hostname" {
  run -0 "$MVRC" run --name web-1 "$ROOTFS" hostname
  [ "$output" = web-1 ]
}

@test "--hostname sets the UTS namespace's hostname, not the host's" {
  run -0 "$MVRC" run --name web-1 --hostname box "$ROOTFS" sh -c 'hostname; echo $HOSTNAME'
  [ "${lines[0]}" = box ]
  [ "${lines[1]}" = box ]
  [ "$(cat /proc/sys/kernel/hostname)" != box ]
}

@test "the environment is clean: PATH, HOSTNAME, HOME only" {
  run -0 env SECRET=s3 "$MVRC" run --hostname box "$ROOTFS" env
  [ "$(printf '%s\n' "${lines[@]}" | sort | tr '\n' ' ')" = \
    "HOME=/root HOSTNAME=box PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin " ]
}

@test "-e sets KEY=VALUE, copies a bare KEY from the caller, skips an unset one" {
  run -0 env SECRET=s3 "$MVRC" run -e A=1 -e SECRET -e UNSET_HERE -e A=2 "$ROOTFS" env
  [[ " ${lines[*]} " == *" A=2 "* ]]
  [[ " ${lines[*]} " == *" SECRET=s3 "* ]]
  [[ " ${lines[*]} " != *"UNSET_HERE"* ]]
  [[ " ${lines[*]} " != *" A=1 "* ]]
}

@test "-w sets the working directory, creating it when missing" {
  run -0 "$MVRC" run -w /srv/app "$ROOTFS" pwd
  [ "$output" = /srv/app ]
}

@test "stdin is /dev/null without -i, and ours with -i" {
  run -0 sh -c 'echo hello | "$1" run "$2" cat' sh "$MVRC" "$ROOTFS"
  [ "$output" = "" ]
  run -0 sh -c 'echo hello | "$1" run -i "$2" cat' sh "$MVRC" "$ROOTFS"
  [ "$output" = hello ]
}

@test "the container has its own IPC, UTS, mount and network namespaces" {
  local ns
  for ns in ipc uts mnt net pid user; do
    run -0 "$MVRC" run "$ROOTFS" readlink /proc/self/ns/$ns
    [ "$output" != "$(readlink /proc/self/ns/$ns)" ]
  done
}

@test "--network none leaves only lo, and lo is up" {
  run -0 "$MVRC" run --network none "$ROOTFS" cat /sys/class/net/lo/operstate /proc/net/dev
  [[ $output == *"lo:"* ]]
  [ "$(grep -c ':' <<<"$output")" -eq 1 ]
}

@test "--network host keeps the host's network namespace" {
  run -0 "$MVRC" run --network host "$ROOTFS" readlink /proc/self/ns/net
  [ "$output" = "$(readlink /proc/self/ns/net)" ]
}
