#!/usr/bin/env bats
# mvrc: also-in-vm
# final/mvrc: -m/--memory, --pids-limit and --cpus, in a cgroup of the
# container's own under the caller's (delegated) cgroup, on v1/hybrid hosts
# and on v2 (tests/vm). Each limit is checked in the files the kernel shows
# on the host and by its effect; and no cgroup outlives a container.

load ../helpers/common
load ../helpers/cgroups
load mvrc

setup() {
  NAME=cg-$BATS_TEST_NUMBER-$$
  mkdir -p "$BATS_TEST_TMPDIR/out"
  # Every test but these two needs cgroups this user may write.
  case $BATS_TEST_DESCRIPTION in
    "without a limit"* | "a limit on a cgroup the user may not write"*) ;;
    *) require_delegated ;;
  esac
}

teardown() {
  if [[ -n ${MVRC_PID:-} ]]; then
    kill -9 "$MVRC_PID" 2>/dev/null
    wait "$MVRC_PID" 2>/dev/null
  fi
  if [[ -n ${RO_CGROUP:-} ]]; then
    chmod 0755 "$RO_CGROUP" 2>/dev/null
    rmdir "$RO_CGROUP" 2>/dev/null
  fi
  true
}

# container_cgroups NAME: the cgroup directories called NAME on this host.
container_cgroups() {
  find /sys/fs/cgroup -mindepth 1 -type d -name "$1" 2>/dev/null
}

has_container_cgroup() { [[ -n $(container_cgroups "$1") ]]; }
no_container_cgroup() { [[ -z $(container_cgroups "$1") ]]; }

# start_bg ARGS...: mvrc run --name $NAME ARGS... in the background, with
# $BATS_TEST_TMPDIR/out as /out; MVRC_PID is mvrc's pid.
start_bg() {
  "$MVRC" run --name "$NAME" -v "$BATS_TEST_TMPDIR/out:/out" "$@" \
    >"$BATS_TEST_TMPDIR/log" 2>&1 </dev/null &
  MVRC_PID=$!
}

# limit_file CONTROLLER V1FILE V2FILE: the file of the container's cgroup
# that holds a limit, whichever cgroup version the controller is on.
limit_file() {
  local d
  for d in $(container_cgroups "$NAME"); do
    [[ -f $d/$2 ]] && { echo "$d/$2"; return; }
    [[ -f $d/$3 ]] && { echo "$d/$3"; return; }
  done
  return 1
}

@test "without a limit, mvrc creates no cgroup: the container stays in the caller's" {
  start_bg "$ROOTFS" sh -c 'cat /proc/self/cgroup >/out/cgroup; exec sleep 30'
  poll_until 10 test -s "$BATS_TEST_TMPDIR/out/cgroup"
  no_container_cgroup "$NAME"
  poll_until 10 pgrep -P "$MVRC_PID" -x sleep
  # In its own cgroup namespace a container in its own cgroup would see
  # "/"; with none created it is in the caller's, which is not its root.
  pid=$(pgrep -P "$MVRC_PID" -x sleep)
  diff <(grep -E ':(memory|pids|cpu[^:]*|):' /proc/$pid/cgroup) \
       <(grep -E ':(memory|pids|cpu[^:]*|):' /proc/self/cgroup)
}

@test "--memory 64m sets the container cgroup's memory limit to 67108864 bytes" {
  start_bg -m 64m "$ROOTFS" sleep 30
  poll_until 10 limit_file memory memory.limit_in_bytes memory.max
  run cat "$(limit_file memory memory.limit_in_bytes memory.max)"
  [ "$output" = 67108864 ]
}

@test "--memory puts the container's processes in the limited cgroup" {
  start_bg -m 64m "$ROOTFS" sleep 30
  poll_until 10 limit_file memory memory.limit_in_bytes memory.max
  dir=$(dirname "$(limit_file memory memory.limit_in_bytes memory.max)")
  poll_until 10 pgrep -P "$MVRC_PID" -x sleep
  pid=$(pgrep -P "$MVRC_PID" -x sleep)
  grep -qx "$pid" "$dir/cgroup.procs"
}

@test "--memory 32m: a container that needs 64 MiB is OOM-killed (status 137)" {
  run "$MVRC" run -m 32m "$ROOTFS" dd if=/dev/zero of=/dev/null bs=64M count=1
  [ "$status" -eq 137 ]
}

@test "--memory 64m: a container that needs 16 MiB runs" {
  run "$MVRC" run -m 64m "$ROOTFS" dd if=/dev/zero of=/dev/null bs=16M count=1
  [ "$status" -eq 0 ]
}

@test "--pids-limit 20 sets pids.max to 20" {
  start_bg --pids-limit 20 "$ROOTFS" sleep 30
  poll_until 10 limit_file pids pids.max pids.max
  run cat "$(limit_file pids pids.max pids.max)"
  [ "$output" = 20 ]
}

@test "--pids-limit 5: the sixth process cannot be forked" {
  run "$MVRC" run --pids-limit 5 "$ROOTFS" sh -c \
    'for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; wait'
  [[ $output == *"can't fork"* ]]
}

@test "--cpus 0.5 sets the CFS quota to 50000 per 100000 microseconds" {
  start_bg --cpus 0.5 "$ROOTFS" sleep 30
  poll_until 10 limit_file cpu cpu.cfs_quota_us cpu.max
  f=$(limit_file cpu cpu.cfs_quota_us cpu.max)
  if [[ $f == */cpu.max ]]; then
    [ "$(cat "$f")" = "50000 100000" ]
  else
    [ "$(cat "$f")" = 50000 ]
    [ "$(cat "${f%/*}/cpu.cfs_period_us")" = 100000 ]
  fi
}

@test "--cpus 0.1: the kernel throttles a busy container" {
  start_bg --cpus 0.1 "$ROOTFS" sh -c 'while :; do :; done'
  poll_until 10 limit_file cpu cpu.cfs_quota_us cpu.max
  stat=$(dirname "$(limit_file cpu cpu.cfs_quota_us cpu.max)")/cpu.stat
  throttled() { awk '$1 == "nr_throttled" && $2 > 0 { ok = 1 } END { exit !ok }' "$stat"; }
  poll_until 10 throttled
}

@test "--cpus 0.2: a second of busy looping gets at most about a fifth of a CPU" {
  run "$MVRC" run --cpus 0.2 "$ROOTFS" sh -c \
    'timeout 1 sh -c "while :; do :; done"; times'
  [ "$status" -eq 0 ]
  # times: the children's user and system time on its second line, "0m0.21s 0m0.00s".
  cpu=$(sed -n 2p <<<"$output" | awk '{ gsub(/[ms]/, " "); print $2 + $4 }')
  awk -v c="$cpu" 'BEGIN { exit !(c <= 0.45) }'
}

@test "a limit on a cgroup the user may not write is exit 125 with the reason and the fix" {
  [[ $(id -u) -ne 0 ]] || skip "root ignores the permissions that stand for no delegation"
  local own cg
  own=$(own_cgroup memory || runtime_base_cgroup)
  if [[ -n $(delegation_gap) ]]; then
    # This host gave us no cgroup of our own: a plain run shows it.
    cg=$own
    run "$MVRC" run -m 64m "$ROOTFS" true
  else
    RO_CGROUP=$own/ro-$$ cg=$own/ro-$$
    mkdir "$RO_CGROUP"
    # A cgroup not delegated to the user: the shell moves in, then the
    # directory is made read-only, as an undelegated cgroup is.
    run sh -c 'echo $$ >"$1/cgroup.procs" && chmod 0555 "$1" && shift && exec "$@"' \
      sh "$RO_CGROUP" "$MVRC" run -m 64m "$ROOTFS" true
  fi
  echo "$output"
  [ "$status" -eq 125 ]
  # v1: mkdir is refused. v2: a cgroup whose parent hands it no controller
  # cannot offer one either; if it could, mkdir would be refused.
  [[ ${lines[0]} == "mvrc: --memory: mkdir $cg/"*": Permission denied" ||
     ${lines[0]} == "mvrc: --memory: the memory controller is not delegated to cgroup $cg"* ]]
  [[ ${lines[1]} == hint:*[dD]elegate* ]]
}

@test "no cgroup is left after a container with limits exits" {
  run "$MVRC" run --name "$NAME" -m 64m --pids-limit 20 --cpus 0.5 "$ROOTFS" true
  [ "$status" -eq 0 ]
  no_container_cgroup "$NAME"
}

@test "no cgroup is left after the container is killed with SIGKILL" {
  start_bg -m 64m --pids-limit 20 "$ROOTFS" sleep 30
  poll_until 10 has_container_cgroup "$NAME"
  poll_until 10 pgrep -P "$MVRC_PID" -x sleep
  pid=$(pgrep -P "$MVRC_PID" -x sleep)
  kill -9 "$pid"
  status=0
  wait "$MVRC_PID" || status=$?
  MVRC_PID=
  [ "$status" -eq 137 ]
  no_container_cgroup "$NAME"
}

@test "no cgroup or process is left after mvrc itself is killed with SIGKILL" {
  start_bg -m 64m --pids-limit 20 "$ROOTFS" sleep 30
  poll_until 10 has_container_cgroup "$NAME"
  poll_until 10 pgrep -P "$MVRC_PID" -x sleep
  pid=$(pgrep -P "$MVRC_PID" -x sleep)
  kill -9 "$MVRC_PID"
  wait "$MVRC_PID" 2>/dev/null || true
  MVRC_PID=
  poll_until 30 no_container_cgroup "$NAME"
  poll_until 10 test ! -e "/proc/$pid"
}

@test "fifty runs with limits leave no cgroup behind" {
  for i in $(seq 50); do
    "$MVRC" run --name "$NAME" -m 64m --pids-limit 20 --cpus 1 "$ROOTFS" true
  done
  no_container_cgroup "$NAME"
}
