# Shared helpers for every bats suite: `load helpers/common` (or
# `load ../helpers/common` from tests/final/).
#
# The program under test comes from $CONTAINER (steps) so that a course can
# grade a student's build with the same suite; everything else a suite needs
# lives inside $REPO or bats' own temporary directories, so that the suite runs
# unchanged as root, as an ordinary user, and inside tests/vm's guest.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export REPO

# The unprivileged account tests/run.sh creates when it runs as root.
MVRC_TEST_USER=${MVRC_TEST_USER:-mvrc-test}

# step_program NN-name: export CONTAINER, the step's own build unless the
# caller named another program (a student's) in $CONTAINER.
step_program() {
  CONTAINER=${CONTAINER:-$REPO/steps/$1/container}
  export CONTAINER
  if [[ ! -x $CONTAINER ]]; then
    echo "program under test not found: $CONTAINER (run make, or set CONTAINER)" >&2
    return 1
  fi
}

# make_rootfs: a private, writable copy of the busybox rootfs for this suite,
# owned by whoever runs the suite. Call it from setup_file.
make_rootfs() {
  local src=${MVRC_ROOTFS:-$REPO/rootfs/busybox}
  if [[ ! -x $src/bin/busybox ]]; then
    echo "no rootfs at $src (run: make rootfs)" >&2
    return 1
  fi
  ROOTFS=$BATS_FILE_TMPDIR/rootfs
  rm -rf "$ROOTFS"
  cp -a "$src" "$ROOTFS"
  export ROOTFS
}

# require_root: set AS_ROOT to the prefix that runs a command as root, or skip.
require_root() {
  if [[ $(id -u) -eq 0 ]]; then
    AS_ROOT=""
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    AS_ROOT="sudo -n"
  else
    skip "needs root: run this suite as root or with passwordless sudo"
  fi
  export AS_ROOT
}

# as_unprivileged CMD...: run CMD as an ordinary user. As root that is the
# harness's test account, with no supplementary groups.
as_unprivileged() {
  if [[ $(id -u) -ne 0 ]]; then
    "$@"
    return
  fi
  local uid gid
  uid=$(id -u "$MVRC_TEST_USER" 2>/dev/null) || {
    echo "no user $MVRC_TEST_USER: run the suite through tests/run.sh" >&2
    return 1
  }
  gid=$(id -g "$MVRC_TEST_USER")
  setpriv --reuid="$uid" --regid="$gid" --clear-groups --reset-env -- "$@"
}

# requires_cmd NAME...: skip when the host lacks a command the test needs.
requires_cmd() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || skip "needs $c (run scripts/install-deps.sh)"
  done
}

# poll_until SECS CMD...: re-run CMD until it succeeds; fail after SECS.
# Inside tests/vm's emulated guest (MVRC_VM=1), where everything runs 10 to
# 30 times slower, the bound is ten times as long.
poll_until() {
  local scale=1
  [[ -n ${MVRC_VM:-} ]] && scale=10
  local deadline=$((SECONDS + $1 * scale))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

# expect_eq WHAT EXPECTED ACTUAL: succeed when ACTUAL is EXPECTED; otherwise
# fail with one line a student can act on (bats shows a failing test's
# output):  WHAT: expected 'EXPECTED', the kernel shows 'ACTUAL'
expect_eq() {
  [[ $3 == "$2" ]] && return 0
  printf "%s: expected '%s', the kernel shows '%s'\n" "$1" "$2" "$3"
  return 1
}

# mountinfo_count: the number of mounts this process's namespace shows.
mountinfo_count() {
  wc -l </proc/self/mountinfo
}
