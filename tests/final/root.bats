#!/usr/bin/env bats
# mvrc: runs-as root
# mvrc run as root, and as an ordinary user without subordinate ids.

load ../helpers/common
load mvrc

bats_require_minimum_version 1.5.0

setup_file() {
  require_mvrc
  # A rootfs every user can read, for the runs as nobody below.
  SHARED=$(mktemp -d /tmp/mvrc-root-bats.XXXXXX)
  chmod 0755 "$SHARED"
  cp -a "${MVRC_ROOTFS:-$REPO/rootfs/busybox}" "$SHARED/rootfs"
  export SHARED
}

teardown_file() {
  rm -rf "$SHARED"
}

# as_nobody CMD...: as uid 65534, which has no /etc/subuid line.
as_nobody() {
  setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
}

@test "as root, the container maps every id to itself" {
  require_root
  run -0 $AS_ROOT "$MVRC" run "$SHARED/rootfs" cat /proc/self/uid_map
  read -r -a map <<<"$output"
  [ "${map[*]}" = "0 0 4294967295" ]
}

@test "as root, capabilities are still reduced to Docker's default set" {
  require_root
  run -0 $AS_ROOT "$MVRC" run "$SHARED/rootfs" grep CapBnd /proc/self/status
  [ "$output" = "CapBnd:	00000000a80425fb" ]
}

@test "an ordinary user without subordinate ids gets 0 <uid> 1 and setgroups deny" {
  require_root
  ! grep -qE '^(nobody|65534):' /etc/subuid || skip "nobody has subordinate ids here"
  [[ -x $MVRC ]] && as_nobody test -x "$MVRC" || skip "nobody cannot reach $MVRC"
  run -0 as_nobody "$MVRC" run "$SHARED/rootfs" cat /proc/self/uid_map /proc/self/setgroups
  read -r -a map <<<"${lines[0]}"
  [ "${map[*]}" = "0 65534 1" ]
  [ "${lines[1]}" = deny ]
}

@test "without subordinate ids, -u 1000 is 125: only root exists inside" {
  require_root
  ! grep -qE '^(nobody|65534):' /etc/subuid || skip "nobody has subordinate ids here"
  as_nobody test -x "$MVRC" || skip "nobody cannot reach $MVRC"
  run -125 --separate-stderr as_nobody "$MVRC" run -u 1000 "$SHARED/rootfs" true
  [ "${stderr_lines[0]}" = "mvrc: user 1000:0 is not mapped in the container's user namespace" ]
  [[ ${stderr_lines[1]} == "hint: only 0:0 exists"* ]]
}
