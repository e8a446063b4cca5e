#!/usr/bin/env bats
# mvrc run: capabilities, no_new_privs, inherited fds, the session.

load ../helpers/common
load mvrc

bats_require_minimum_version 1.5.0

# Docker's default capabilities: CHOWN DAC_OVERRIDE FOWNER FSETID KILL
# SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD
# AUDIT_WRITE SETFCAP.
DOCKER_CAPS=00000000a80425fb

# cap SET: the hex of one line of /proc/self/status in the container.
cap() {
  "$MVRC" run "${@:2}" "$ROOTFS" grep "^$1:" /proc/self/status | cut -f2
}

@test "the bounding set is Docker's default set" {
  run -0 cap CapBnd
  [ "$output" = $DOCKER_CAPS ]
}

@test "root in the container has Docker's default set effective and permitted" {
  run -0 cap CapEff
  [ "$output" = $DOCKER_CAPS ]
  run -0 cap CapPrm
  [ "$output" = $DOCKER_CAPS ]
}

@test "the inheritable and ambient sets are empty" {
  run -0 cap CapInh
  [ "$output" = 0000000000000000 ]
  run -0 cap CapAmb
  [ "$output" = 0000000000000000 ]
}

@test "--cap-drop ALL leaves no capability at all" {
  run -0 cap CapEff --cap-drop ALL
  [ "$output" = 0000000000000000 ]
  run -0 cap CapBnd --cap-drop ALL
  [ "$output" = 0000000000000000 ]
}

@test "--cap-add SYS_ADMIN adds bit 21, --cap-drop chown removes bit 0" {
  run -0 cap CapEff --cap-add SYS_ADMIN --cap-drop chown
  [ "$output" = 00000000a82425fa ]
}

@test "--cap-drop ALL --cap-add NET_BIND_SERVICE keeps only that one" {
  run -0 cap CapBnd --cap-drop ALL --cap-add NET_BIND_SERVICE
  [ "$output" = 0000000000000400 ]
}

@test "an unknown capability is 125 with the reason" {
  run -125 --separate-stderr "$MVRC" run --cap-add FLY "$ROOTFS" true
  [ "$stderr" = "mvrc: unknown capability 'FLY'" ]
}

@test "a dropped capability is enforced: chown fails without CAP_CHOWN" {
  has_subids || skip "needs subordinate ids for a second owner"
  run -0 "$MVRC" run "$ROOTFS" sh -c 'touch /tmp/f && chown 1000 /tmp/f && echo chowned'
  [ "$output" = chowned ]
  run "$MVRC" run --cap-drop CHOWN "$ROOTFS" sh -c 'touch /tmp/g && chown 1000 /tmp/g'
  [ "$status" -ne 0 ]
  [[ $output == *"Operation not permitted"* ]]
}

@test "a non-root user gets no effective capabilities, as with Docker" {
  has_subids || skip "needs subordinate ids to map uid 1000"
  run -0 cap CapEff -u 1000
  [ "$output" = 0000000000000000 ]
  run -0 cap CapBnd -u 1000
  [ "$output" = $DOCKER_CAPS ]
}

@test "no_new_privs is set" {
  run -0 "$MVRC" run "$ROOTFS" grep NoNewPrivs /proc/self/status
  [ "$output" = "NoNewPrivs:	1" ]
}

@test "an fd opened by the caller does not reach the container" {
  # Read from the host: a shell inside would show its own pipes.
  "$MVRC" run "$ROOTFS" sleep 30 9<"$BATS_TEST_FILENAME" 3>&- &
  local mvrc=$! pid fds
  poll_until 10 pgrep -P "$mvrc" -x sleep
  pid=$(pgrep -P "$mvrc" -x sleep)
  fds=$(ls /proc/"$pid"/fd | sort -n | tr '\n' ' ')
  # PID 1 of a namespace ignores SIGTERM without a handler: SIGKILL it.
  kill -KILL "$pid"
  wait "$mvrc" || true
  echo "the container's fds: $fds"
  [ "$fds" = "0 1 2 " ]
}

@test "the container runs in a session of its own, with no controlling terminal" {
  # TIOCSTI needs the terminal to be ours: without one, nothing can be
  # pushed into the caller's input (bubblewrap's --new-session).
  run -0 "$MVRC" run "$ROOTFS" sh -c 'cut -d" " -f6,7 /proc/1/stat'
  [ "$output" = "1 0" ]
}

@test "nothing of the host's filesystem is reachable from /proc/1/root or /proc/1/cwd" {
  run -0 "$MVRC" run -w /tmp "$ROOTFS" sh -c 'readlink /proc/1/root; readlink /proc/1/cwd'
  [ "${lines[0]}" = / ]
  [ "${lines[1]}" = /tmp ]
}
