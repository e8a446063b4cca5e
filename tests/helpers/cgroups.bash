# Cgroup helpers for the suites of steps 06 and 07: `load helpers/cgroups`
# after helpers/common.
#
# A step's container makes its cgroup, container-<PID of the container's
# process>, right under the cgroup of the process that started it. Where that
# is, and which file holds which limit, depends on the host:
#
#   cgroup v2   one hierarchy at /sys/fs/cgroup. The runtime must be alone in
#               its cgroup to hand controllers down to the container's, so
#               every container here runs in a scope of its own, made the way
#               `systemd-run --user --scope -p Delegate=yes` makes one: a new
#               cgroup in a slice next to ours, both ours to write. IN_SCOPE
#               is the command prefix that starts a program in a new scope;
#               SLICE is the test's slice.
#   cgroup v1   (CI and this project's hybrid hosts) one hierarchy per
#               controller, /sys/fs/cgroup/{memory,pids,cpu}; the container's
#               cgroups sit under ours in each, and IN_SCOPE is empty.

CGROUP_FS=/sys/fs/cgroup

# cgroup_v2: does this host mount the unified hierarchy at /sys/fs/cgroup?
cgroup_v2() {
  [[ $(stat -fc %T "$CGROUP_FS") == cgroup2fs ]]
}

# own_cgroup [CONTROLLER]: this shell's cgroup directory, in CONTROLLER's v1
# hierarchy, or in the v2 hierarchy without an argument (/proc/self/cgroup).
own_cgroup() {
  local id list path
  while IFS=: read -r id list path; do
    if [[ -z ${1:-} && $id == 0 ]] || [[ -n ${1:-} && ,$list, == *,"$1",* ]]; then
      echo "$CGROUP_FS${1:+/$1}${path%/}"
      return 0
    fi
  done </proc/self/cgroup
  return 1
}

# runtime_base_cgroup: on v2, the cgroup final/mvrc makes containers under
# when started from here. To hand controllers down, mvrc moves its caller's
# processes into a leaf, mvrc-caller; runs started from that leaf use its
# parent again (final/src/cgroups.c).
runtime_base_cgroup() {
  local own
  own=$(own_cgroup) || return 1
  [[ ${own##*/} == mvrc-caller ]] && own=${own%/*}
  echo "$own"
}

# delegation_gap: nothing when this user may create cgroups with the memory,
# pids and cpu controllers under its own cgroup; otherwise the reason.
delegation_gap() {
  local own c
  if cgroup_v2; then
    own=$(runtime_base_cgroup) || { echo "no cgroup v2 line in /proc/self/cgroup"; return; }
    [[ -w $own ]] || { echo "this shell's cgroup $own is not delegated to this user (see make doctor)"; return; }
    for c in memory pids cpu; do
      grep -qw "$c" "$own/cgroup.controllers" ||
        { echo "the $c controller is not delegated to this user (see make doctor)"; return; }
    done
  else
    for c in memory pids cpu; do
      own=$(own_cgroup "$c") && [[ -d $own ]] || { echo "no cgroup v1 hierarchy for $c"; return; }
      [[ -w $own ]] || { echo "the $c cgroup $own is not delegated to this user (see make doctor)"; return; }
    done
  fi
}

# require_delegated: skip, with the reason, unless delegation_gap is empty.
require_delegated() {
  local gap
  gap=$(delegation_gap)
  [[ -z $gap ]] || skip "$gap"
}

# setup_cgroups: call from setup(). Sets IN_SCOPE and checks that this user
# may create cgroups here; skips with the reason otherwise.
setup_cgroups() {
  IN_SCOPE=()
  SLICE=
  if cgroup_v2; then
    local own parent c
    own=$(own_cgroup) || skip "no cgroup v2 line in /proc/self/cgroup"
    parent=${own%/*}
    [[ -w $parent && -w $parent/cgroup.procs ]] ||
      skip "no delegated cgroup v2 subtree: run the suite with systemd-run --user --scope -p Delegate=yes bats ..."
    for c in memory pids cpu; do
      grep -qw "$c" "$parent/cgroup.subtree_control" ||
        skip "the $c controller is not delegated to this user (see make doctor)"
    done
    SLICE=$parent/mvrc-test-$BATS_TEST_NUMBER-$BASHPID.slice
    mkdir "$SLICE"
    echo "+memory +pids +cpu" >"$SLICE/cgroup.subtree_control"
    # shellcheck disable=SC2016  # $$ is the inner shell's pid.
    IN_SCOPE=("$BASH" -c 'scope=$0/run-$$.scope
      mkdir "$scope" && echo $$ >"$scope/cgroup.procs" && exec "$@"' "$SLICE")
  else
    local c dir
    for c in memory pids cpu; do
      dir=$(own_cgroup "$c") && [[ -d $dir ]] || skip "no cgroup v1 hierarchy for $c at $CGROUP_FS/$c"
      [[ -w $dir ]] || skip "the $c cgroup $dir is not delegated to this user: run the suite through tests/run.sh"
    done
  fi
}

# teardown_cgroups: call from teardown(). Removes the test's slice with its
# scopes, and whatever the runtime left in them (its own leaf; a container's
# cgroup that the program under test failed to remove, which a test reports).
teardown_cgroups() {
  [[ -n ${SLICE:-} && -d $SLICE ]] || return 0
  find "$SLICE" -depth -type d -exec rmdir {} + 2>/dev/null || true
}

# container_cgroup CONTROLLER PID: the directory of the cgroup that the
# container whose process is PID has in CONTROLLER (memory, pids, cpu).
container_cgroup() {
  if [[ -n $SLICE ]]; then
    local dir
    for dir in "$SLICE"/*/container-"$2"; do echo "$dir"; done
  else
    echo "$(own_cgroup "$1")/container-$2"
  fi
}

# container_cgroups PID: every directory of that container's cgroup, one a line.
container_cgroups() {
  if [[ -n $SLICE ]]; then
    container_cgroup memory "$1"
  else
    local c
    for c in memory pids cpu; do container_cgroup "$c" "$1"; done
  fi
}

# container_cgroup_list: every container-* cgroup where ours would be, one
# a line (others' containers may be there too, when we are root).
container_cgroup_list() {
  if [[ -n $SLICE ]]; then
    compgen -G "$SLICE/*/container-*" || true
  else
    local c
    for c in memory pids cpu; do
      compgen -G "$(own_cgroup "$c")/container-*" || true
    done
  fi
}

# limit NAME PID: the container's limit as its cgroup files say, whatever the
# layout: memory in bytes, pids as a count, cpu as "QUOTA PERIOD" (µs).
limit() {
  local dir
  dir=$(container_cgroup "$1" "$2")
  case $1:$SLICE in
    memory:?*) cat "$dir/memory.max" ;;
    memory:) cat "$dir/memory.limit_in_bytes" ;;
    pids:*) cat "$dir/pids.max" ;;
    cpu:?*) cat "$dir/cpu.max" ;;
    cpu:) echo "$(cat "$dir/cpu.cfs_quota_us") $(cat "$dir/cpu.cfs_period_us")" ;;
  esac
}

# throttled PID: has the cpu controller held the container back yet?
# (nr_throttled in cpu.stat counts the periods in which it used its quota up.)
throttled() {
  local stat n
  stat=$(container_cgroup cpu "$1")/cpu.stat
  [[ -r $stat ]] || return 1
  n=$(awk '$1 == "nr_throttled" { print $2 }' "$stat")
  [[ ${n:-0} -gt 0 ]]
}

# ---- a container that waits ------------------------------------------------

# start_container CMD [ARG...]: starts the program under test in the
# background (in the scope, on v2) running `sh -c 'touch /ready; CMD'`, and
# waits (bounded) until CMD runs. Sets RUNTIME (the program's PID) and CPID
# (the container's process, as the host sees it).
start_container() {
  rm -f "$ROOTFS/ready"
  "${IN_SCOPE[@]}" "$CONTAINER" "$ROOTFS" sh -c 'touch /ready; exec "$@"' sh "$@" 3>&- &
  RUNTIME=$!
  poll_until 20 test -e "$ROOTFS/ready" || {
    echo "the container did not start its command within 20 s" >&2
    return 1
  }
  CPID=$(container_process "$RUNTIME") || {
    echo "no child of $RUNTIME runs in a new PID namespace" >&2
    return 1
  }
}

# container_process RUNTIME: the child of RUNTIME that is in a PID namespace
# other than ours: the container's process (slirp4netns is a child too).
container_process() {
  local pid ours
  ours=$(readlink /proc/self/ns/pid)
  for pid in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
    if [[ $(readlink "/proc/$pid/ns/pid" 2>/dev/null) != "$ours" ]]; then
      echo "$pid"
      return 0
    fi
  done
  return 1
}

# lock_cgroups: makes, in every hierarchy, a cgroup of ours in which this user
# may create no cgroup (mode a-w), and sets LOCKED to their directories: to
# a runtime started in them, that is what a cgroup never delegated to the
# user is. unlock_cgroups removes them.
lock_cgroups() {
  local c
  LOCKED=()
  if [[ -n $SLICE ]]; then
    LOCKED=("$SLICE/locked.scope")
  else
    for c in memory pids cpu; do LOCKED+=("$(own_cgroup "$c")/locked-$BASHPID"); done
  fi
  mkdir "${LOCKED[@]}" && chmod a-w "${LOCKED[@]}"
}

unlock_cgroups() {
  [[ -n ${LOCKED:-} ]] || return 0
  chmod u+w "${LOCKED[@]}" && rmdir "${LOCKED[@]}"
}

# in_locked_cgroups CMD [ARG...]: runs CMD in the cgroups lock_cgroups made.
in_locked_cgroups() {
  # shellcheck disable=SC2016  # $$ is the inner shell's pid.
  "$BASH" -c 'while [ "$1" != -- ]; do echo $$ >"$1/cgroup.procs" || exit 99; shift; done
              shift; exec "$@"' "$BASH" "${LOCKED[@]}" -- "$@"
}

# make_gate: a FIFO at /gate in the rootfs. A container that runs
# `read x </gate` blocks, without forking or spinning, until open_gate.
make_gate() {
  rm -f "$ROOTFS/gate"
  mkfifo "$ROOTFS/gate"
}

open_gate() {
  echo go >"$ROOTFS/gate"
}

# wait_runtime: waits for RUNTIME and sets STATUS to its exit status.
wait_runtime() {
  STATUS=0
  wait "$RUNTIME" || STATUS=$?
  RUNTIME=
}

# stop_container: ends what a failed test left running: the container's
# process first, so that the runtime can still remove the cgroup; the
# runtime itself only if it does not exit within 10 s.
stop_container() {
  [[ -n ${RUNTIME:-} ]] || return 0
  [[ -n ${CPID:-} ]] && kill -KILL "$CPID" 2>/dev/null
  poll_until 10 eval '! kill -0 "$RUNTIME" 2>/dev/null' || kill -KILL "$RUNTIME" 2>/dev/null
  wait "$RUNTIME" 2>/dev/null
  return 0
}
