#!/usr/bin/env bats
# The cgroup v2 guest itself (tests/vm/run.sh tests/vm/guest.bats): what a
# rootless runtime needs from a systemd host with a delegated user session.

load ../helpers/common

# own_cgroup: the directory of this process's cgroup v2.
own_cgroup() {
  local line
  line=$(grep '^0::' /proc/self/cgroup) || return 1
  echo "/sys/fs/cgroup${line#0::}"
}

# move_all FROM TO: move every process of cgroup FROM into cgroup TO. One
# of them may fork meanwhile, so move until FROM is empty (bounded).
move_all() {
  local pid pids tries=0
  while mapfile -t pids < "$1/cgroup.procs" && ((${#pids[@]})); do
    for pid in "${pids[@]}"; do
      echo "$pid" > "$2/cgroup.procs" 2>/dev/null || true
    done
    ((++tries < 100)) || return 1
  done
}

teardown() {
  [[ -n ${leaf:-} ]] || return 0
  [[ -d ${child:-} ]] && rmdir "$child"
  echo -memory > "$cg/cgroup.subtree_control"
  move_all "$leaf" "$cg"
  rmdir "$leaf"
}

@test "the guest mounts cgroup v2 at /sys/fs/cgroup" {
  run stat -fc %T /sys/fs/cgroup
  [ "$output" = cgroup2fs ]
}

@test "the suites run as an ordinary user" {
  [ "$(id -u)" -ne 0 ]
  [ "$(id -un)" = "$MVRC_TEST_USER" ]
}

@test "the user's own cgroup is delegated to the user" {
  local cg
  cg=$(own_cgroup)
  [ "$(stat -c %u "$cg")" = "$(id -u)" ]
  [ -w "$cg/cgroup.procs" ]
  [ -w "$cg/cgroup.subtree_control" ]
  [ -w "$cg/cgroup.threads" ]
}

@test "cpu, io, memory and pids are available in the user's cgroup" {
  local cg c
  cg=$(own_cgroup)
  for c in cpu io memory pids; do
    grep -qw "$c" "$cg/cgroup.controllers" || { echo "no $c in $cg/cgroup.controllers"; return 1; }
  done
}

@test "the user can create a child cgroup, limit its memory and move a process into it" {
  local pid
  cg=$(own_cgroup) leaf=$(own_cgroup)/leaf.$$ child=$(own_cgroup)/smoke.$$
  # No internal processes: a cgroup that gives controllers to its children
  # holds no process itself. So every process of ours (bats' too) moves to a
  # leaf first, as a runtime does; teardown moves them back.
  mkdir "$leaf" "$child"
  move_all "$cg" "$leaf"
  echo +memory > "$cg/cgroup.subtree_control"
  echo 64M > "$child/memory.max"
  [ "$(cat "$child/memory.max")" = 67108864 ]
  sleep 100 &
  pid=$!
  echo "$pid" > "$child/cgroup.procs"
  [ "$(cat "$child/cgroup.procs")" = "$pid" ]
  grep -qx "0::${child#/sys/fs/cgroup}" "/proc/$pid/cgroup"
  kill "$pid"
  wait "$pid" || true
}

@test "unprivileged user namespaces work in the guest" {
  local inside outside count
  run unshare -Ur cat /proc/self/uid_map
  [ "$status" -eq 0 ]
  read -r inside outside count <<< "$output"
  [ "$inside $outside $count" = "0 $(id -u) 1" ]
}

@test "/dev/net/tun is usable by the user" {
  [ -c /dev/net/tun ]
  [ -r /dev/net/tun ] && [ -w /dev/net/tun ]
}
