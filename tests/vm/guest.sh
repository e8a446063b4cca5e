#!/bin/bash
# The guest's PID 1 after switch_root: the host's Debian userland, seen
# read-only over 9p under a tmpfs overlay. It mounts the kernel's file
# systems, mounts cgroup v2 and delegates a subtree to the test user as
# systemd does for user@UID.service, runs the job's bats suites as that user,
# writes their output between markers on the second serial port, and powers
# off. tests/vm/run.sh copies this file into the run's directory.
#
#   guest.sh JOBDIR     (JOBDIR/job.sh holds user, mode, cwd, suites, env)

job=$1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
out=/dev/ttyS1

fail() {
  echo "@@mvrc-vm: error: $*" >"$out"
  echo "guest: $*" >&2
  poweroff
}

poweroff() {
  sync
  echo o >/proc/sysrq-trigger
  sleep 10
}

if ! { mount -t proc proc /proc &&
  mount -t sysfs sysfs /sys &&
  mount -t devtmpfs devtmpfs /dev &&
  ln -s /proc/self/fd /dev/fd &&
  ln -s fd/0 /dev/stdin && ln -s fd/1 /dev/stdout && ln -s fd/2 /dev/stderr &&
  mkdir -p /dev/pts /dev/shm &&
  mount -t devpts -o mode=0620,gid=5,ptmxmode=0666 devpts /dev/pts &&
  mount -t tmpfs -o mode=1777 tmpfs /dev/shm &&
  mount -t tmpfs -o mode=0755 tmpfs /run; }; then
  fail "cannot mount proc, sysfs, devtmpfs, devpts or tmpfs"
fi
stty -F "$out" raw -echo || fail "cannot set up $out"

user='' mode='' cwd='' term='' suites=() envs=()
# shellcheck source=/dev/null
. "$job/job.sh" || fail "cannot read $job/job.sh"

# cgroup v2, mounted as systemd mounts it, with every controller enabled down
# to the user's delegated service.
cg=/sys/fs/cgroup
ctrls="+cpu +io +memory +pids"
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 "$cg" ||
  fail "cannot mount cgroup2 on $cg"
uid=$(id -u "$user" 2>/dev/null) || fail "no user $user in the host's /etc/passwd"
gid=$(id -g "$user")
home=$(getent passwd "$user" | cut -d: -f6)
svc=$cg/user.slice/user-$uid.slice/user@$uid.service
scope=$svc/app.slice/mvrc-tests.scope
mkdir -p "$scope" || fail "cannot create $scope"
for d in "$cg" "$cg/user.slice" "$cg/user.slice/user-$uid.slice" "$svc" "$svc/app.slice"; do
  echo "$ctrls" >"$d/cgroup.subtree_control" || fail "cannot enable $ctrls in $d"
done
# Delegation (Documentation/admin-guide/cgroup-v2.rst, "Delegation"): the
# directory and its cgroup.procs, cgroup.threads and cgroup.subtree_control
# belong to the user; what the user's manager creates below it is the user's.
if ! chown "$uid:$gid" "$svc" "$svc"/cgroup.{procs,threads,subtree_control} "$svc/memory.oom.group" ||
  ! chown -R "$uid:$gid" "$svc/app.slice"; then
  fail "cannot delegate $svc to $user"
fi

# What a desktop distribution gives an ordinary user.
hostname mvrc-vm
ip link set lo up || fail "cannot bring lo up"
if ! modprobe tun || ! chmod 0666 /dev/net/tun; then
  fail "no /dev/net/tun"
fi

case $mode in
  tap) fmt=(--tap) ;;
  *) fmt=(--pretty) ;;
esac
cd "$cwd" 2>/dev/null || cd /

read -r up _ </proc/uptime
echo "@@mvrc-vm: start $up" >"$out"
# The test shell enters its leaf cgroup, then becomes the user.
# shellcheck disable=SC2016  # $$ is the inner shell's pid.
sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$scope" \
  setpriv --reuid="$uid" --regid="$gid" --init-groups \
  env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$home" \
  USER="$user" LOGNAME="$user" LANG=C.UTF-8 TERM="${term:-dumb}" MVRC_VM=1 "${envs[@]}" \
  bats "${fmt[@]}" "${suites[@]}" >"$out" 2>&1 &
bats_pid=$!
# As PID 1 this shell also reaps whatever the suites orphan while it waits.
wait "$bats_pid"
status=$?
echo "@@mvrc-vm: end $status" >"$out"
poweroff
