#!/usr/bin/env bats
# scripts/doctor.sh: it tells the truth about this host, and every failure
# comes with its fix. Broken hosts are simulated through the paths doctor
# reads (MVRC_DOCTOR_*) and through PATH.

load helpers/common

DOCTOR=$REPO/scripts/doctor.sh

setup() {
  ME=$(id -un)
  T=$BATS_TEST_TMPDIR
}

teardown() {
  chmod -R u+w "$T"    # some tests take write permission away; bats must clean up
}

# healthy_host: point every check doctor can be pointed at to a healthy
# input, so that only the host's kernel and installed tools decide the rest.
healthy_host() {
  export MVRC_DOCTOR_TUN=/dev/null              # a character device anyone can open
  printf '%s:100000:65536\n' "$ME" >"$T/subid"
  export MVRC_DOCTOR_SUBUID=$T/subid MVRC_DOCTOR_SUBGID=$T/subid
  fake_v1_cgroups
  mkdir -p "$T/rootfs/bin"
  cp /bin/true "$T/rootfs/bin/busybox"
  export MVRC_ROOTFS=$T/rootfs
}

# fake_v1_cgroups: a v1 layout with this user's cgroups delegated to it.
fake_v1_cgroups() {
  local c
  for c in memory pids cpu; do
    mkdir -p "$T/cgroup/$c/user"
    : >"$T/cgroup/$c/user/cgroup.procs"
  done
  printf '%s\n' 4:memory:/user 3:pids:/user 2:cpu,cpuacct:/user 0::/ >"$T/proc-cgroup"
  export MVRC_DOCTOR_CGROUP=$T/cgroup MVRC_DOCTOR_PROC_CGROUP=$T/proc-cgroup
}

# fake_command NAME STATUS [STDERR]: put NAME first on PATH, failing with STATUS.
fake_command() {
  mkdir -p "$T/fakebin"
  printf '#!/bin/sh\necho "%s" >&2\nexit %s\n' "${3:-}" "$2" >"$T/fakebin/$1"
  chmod +x "$T/fakebin/$1"
  export PATH=$T/fakebin:$PATH
}

# hide_command NAME: a PATH on which NAME is not found. Each PATH directory
# holding NAME is replaced by a directory of links to all its other entries.
hide_command() {
  local dir copy new="" n=0
  local -a dirs
  IFS=: read -ra dirs <<<"$PATH"
  for dir in "${dirs[@]}"; do
    if [[ -e $dir/$1 ]]; then
      copy=$T/without-$1.$((n++))
      mkdir "$copy"
      ln -s "$dir"/* "$copy"/
      rm "$copy/$1"
      dir=$copy
    fi
    new+=${new:+:}$dir
  done
  export PATH=$new
  ! command -v "$1"
}

# fake_sysctl NAME=VALUE...: a /proc/sys holding only these values.
fake_sysctl() {
  local kv file
  for kv in "$@"; do
    file=$T/sys/$(tr . / <<<"${kv%%=*}")
    mkdir -p "${file%/*}"
    echo "${kv#*=}" >"$file"
  done
  export MVRC_DOCTOR_SYSCTL=$T/sys
}

# line_after PATTERN: the line of $output right after the first line matching PATTERN.
line_after() {
  printf '%s\n' "$output" | grep -A1 -m1 -E "$1" | sed -n 2p
}

# the layout of this host's cgroups, from the filesystem types
host_cgroup_layout() {
  if [[ $(stat -fc %T /sys/fs/cgroup) == cgroup2fs ]]; then
    echo v2
  elif [[ -d /sys/fs/cgroup/unified && $(stat -fc %T /sys/fs/cgroup/unified) == cgroup2fs ]]; then
    echo hybrid
  else
    echo v1
  fi
}

@test "doctor exits 0 and says user namespaces work on a host where unshare -U works" {
  unshare -U true || skip "unprivileged user namespaces do not work on this host"
  healthy_host
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 0 ]
  printf '%s\n' "$output" | grep -q '^OK   unprivileged user namespaces'
  [[ $output != *FAIL* ]]
}

@test "doctor reports the cgroup layout this host actually has" {
  local layout
  layout=$(host_cgroup_layout)
  run "$DOCTOR"
  echo "$output"
  printf '%s\n' "$output" | grep -q "^OK   cgroup layout: $layout "
}

@test "doctor says whether this user's own cgroups are delegated, as the kernel's permissions say" {
  local layout path dir c expect
  layout=$(host_cgroup_layout)
  run "$DOCTOR"
  echo "$output"
  if [[ $layout == v2 ]]; then
    path=$(sed -n 's/^0:://p' /proc/self/cgroup)
    dir=/sys/fs/cgroup${path%/}
    expect=FAIL
    [[ -w $dir/cgroup.procs ]] && grep -qw memory "$dir/cgroup.controllers" && expect=OK
    printf '%s\n' "$output" | grep -qE "^$expect +cgroup v2 delegation"
  else
    for c in memory pids cpu; do
      path=$(awk -F: -v c="$c" '(","$2",") ~ ","c"," {print $3; exit}' /proc/self/cgroup)
      dir=/sys/fs/cgroup/$c${path%/}
      expect=FAIL
      [[ -w $dir && -w $dir/cgroup.procs ]] && expect=OK
      printf '%s\n' "$output" | grep -qE "^$expect +cgroup v1 $c delegation"
    done
  fi
}

@test "a missing /dev/net/tun is a FAIL, with modprobe as the fix" {
  healthy_host
  export MVRC_DOCTOR_TUN=/nonexistent/tun
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 1 ]
  printf '%s\n' "$output" | grep -q '^FAIL /nonexistent/tun: missing'
  [[ $(line_after '^FAIL /nonexistent/tun') == "     fix: "*"modprobe tun" ]]
}

@test "a /dev/net/tun this user cannot open is a FAIL, with chmod 0666 as the fix" {
  [[ $(id -u) -ne 0 ]] || skip "root can open every device"
  local dev
  for dev in /dev/kmsg /dev/mem /dev/port; do
    [[ -c $dev && ! ( -r $dev && -w $dev ) ]] && break
    dev=""
  done
  [[ -n $dev ]] || skip "no character device here that this user cannot open"
  healthy_host
  export MVRC_DOCTOR_TUN=$dev
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 1 ]
  printf '%s\n' "$output" | grep -q "^FAIL $dev: not readable and writable by $ME"
  [[ $(line_after "^FAIL $dev") == "     fix: "*"chmod 0666 $dev" ]]
}

@test "a user with no /etc/subuid line is a FAIL, with usermod and a free range as the fix" {
  healthy_host
  echo "someone-else:100000:65536" >"$T/subuid"
  export MVRC_DOCTOR_SUBUID=$T/subuid MVRC_DOCTOR_SUBGID=$T/subuid
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 1 ]
  printf '%s\n' "$output" | grep -q "^FAIL $T/subuid: no line for $ME"
  [[ $(line_after "^FAIL $T/subuid") == "     fix: "*"usermod --add-subuids 165536-231071 $ME" ]]
}

@test "a missing slirp4netns is a FAIL, with the package to install as the fix" {
  healthy_host
  hide_command slirp4netns
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 1 ]
  printf '%s\n' "$output" | grep -q '^FAIL slirp4netns: not found'
  [[ $(line_after '^FAIL slirp4netns') == "     fix: "*"apt-get install "*" slirp4netns" ]]
}

@test "user namespaces refused with user.max_user_namespaces = 0 are a FAIL, with the sysctl as the fix" {
  healthy_host
  fake_command unshare 1 "unshare: unshare failed: Operation not permitted"
  fake_sysctl user.max_user_namespaces=0
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 1 ]
  printf '%s\n' "$output" | grep -q '^FAIL unprivileged user namespaces: .*Operation not permitted; user.max_user_namespaces = 0'
  [[ $(line_after '^FAIL unprivileged user namespaces') == "     fix: "*"sysctl -w user.max_user_namespaces=15000"* ]]
}

@test "user namespaces refused by Ubuntu's AppArmor restriction are a FAIL, with the sysctl and the AppArmor profile as fixes" {
  healthy_host
  fake_command unshare 1 "unshare: write failed /proc/self/uid_map: Operation not permitted"
  fake_sysctl user.max_user_namespaces=15000 kernel.apparmor_restrict_unprivileged_userns=1
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 1 ]
  printf '%s\n' "$output" | grep -q '^FAIL unprivileged user namespaces: .*kernel.apparmor_restrict_unprivileged_userns = 1'
  [[ $(line_after '^FAIL unprivileged user namespaces') == "     fix: "*"sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"* ]]
  printf '%s\n' "$output" | grep -q '^     or:  .*userns,.*apparmor_parser -r /etc/apparmor.d/mvrc$'
}

@test "a v1 cgroup this user cannot write is a FAIL, with the delegation as the fix" {
  [[ $(id -u) -ne 0 ]] || skip "root can write every cgroup"
  healthy_host
  chmod 0555 "$T/cgroup/pids/user"
  chmod 0444 "$T/cgroup/pids/user/cgroup.procs"
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 1 ]
  printf '%s\n' "$output" | grep -q "^OK   cgroup v1 memory delegation"
  printf '%s\n' "$output" | grep -q "^FAIL cgroup v1 pids delegation: your cgroup $T/cgroup/pids/user is not writable"
  [[ $(line_after '^FAIL cgroup v1 pids') == "     fix: d=$T/cgroup/pids/user/$ME; "*"chown -R $ME \$d"* ]]
}

@test "on a host where everything is broken, every FAIL and WARN line is followed by its fix" {
  export MVRC_DOCTOR_TUN=/nonexistent MVRC_DOCTOR_SUBUID=/nonexistent MVRC_DOCTOR_SUBGID=/nonexistent
  export MVRC_DOCTOR_CGROUP=$T MVRC_DOCTOR_PROC_CGROUP=/nonexistent MVRC_ROOTFS=/nonexistent
  fake_command unshare 1 "unshare: unshare failed: Operation not permitted"
  fake_sysctl kernel.unprivileged_userns_clone=0
  hide_command slirp4netns
  hide_command pasta
  run "$DOCTOR"
  echo "$output"
  [ "$status" -eq 1 ]
  [ "$(printf '%s\n' "$output" | grep -c '^FAIL ')" -ge 6 ]
  printf '%s\n' "$output" | awk '
    want { if ($0 !~ /^     fix: ./) { print "no fix after: " prev; bad = 1 } }
    { want = /^(FAIL|WARN) /; prev = $0 }
    END { exit bad || want }'
}

@test "doctor prints no colour codes when its output is not a terminal" {
  run "$DOCTOR"
  [[ $output != *$'\e'* ]]
}
