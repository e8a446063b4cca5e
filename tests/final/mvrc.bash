# Helpers shared by the suites of tests/final: `load mvrc` after
# `load ../helpers/common`.

# The runtime under test: final/mvrc unless $MVRC names another build.
MVRC=${MVRC:-$REPO/final/mvrc}
export MVRC

require_mvrc() {
  if [[ ! -x $MVRC ]]; then
    echo "runtime under test not found: $MVRC (run make)" >&2
    return 1
  fi
}

# What most suites need before their first test: the runtime and a rootfs
# of their own. A suite that needs more defines its own setup_file after
# `load mvrc`.
setup_file() {
  require_mvrc
  make_rootfs
}

# has_subids: the running user has /etc/subuid and /etc/subgid lines and
# the newuidmap/newgidmap helpers are installed, so mvrc maps a range.
has_subids() {
  local me uid
  me=$(id -un) uid=$(id -u)
  [[ $uid -ne 0 ]] &&
    grep -qE "^($me|$uid):" /etc/subuid 2>/dev/null &&
    grep -qE "^($me|$uid):" /etc/subgid 2>/dev/null &&
    command -v newuidmap >/dev/null && command -v newgidmap >/dev/null
}

# subid_start: the first subordinate uid of the running user.
subid_start() {
  grep -E "^($(id -un)|$(id -u)):" /etc/subuid | head -n 1 | cut -d: -f2
}

# A word no other process on the machine has in its command line.
marker() {
  echo "mvrc-test-$BATS_SUITE_TEST_NUMBER-$$-$RANDOM"
}

# no_process_with WORD: no process's command line contains WORD.
no_process_with() {
  ! pgrep -f -- "$1" >/dev/null
}

process_with() {
  pgrep -f -- "$1" >/dev/null
}

# An awk program for the container's /proc/self/mountinfo: for the mount at
# path p, print "FSTYPE MOUNT-OPTIONS SUPER-OPTIONS" (see proc(5): the
# optional fields end at "-").
# shellcheck disable=SC2016
MOUNT_OF='$5 == p { for (i = 7; $i != "-"; i++); print $(i + 1), $6, $(i + 3) }'

# wait_status PID: wait for a background job of this shell and set $status
# to its exit status (bats' `run wait` runs in a subshell, which cannot).
wait_status() {
  status=0
  wait "$1" || status=$?
}
