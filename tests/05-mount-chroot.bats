#!/usr/bin/env bats
# Step 05: a mount namespace, private mounts, chroot into ROOTFS and a fresh
# /proc. The program under test is $CONTAINER, by default
# steps/05-mount-chroot/container; it runs as an ordinary user.

load helpers/common

bats_require_minimum_version 1.5.0

setup_file() {
  make_rootfs
  echo "made by the test" >"$ROOTFS/mvrc-marker"
  mkdir -p "$ROOTFS/mnt"
}

setup() {
  step_program 05-mount-chroot
}

@test "the command is the rootfs's own busybox" {
  run "$CONTAINER" "$ROOTFS" /bin/sh -c 'stat -L -c %i /proc/self/exe'
  [ "$status" -eq 0 ]
  expect_eq "inode of the command's program" "$(stat -c %i "$ROOTFS/bin/busybox")" "$output"
}

@test "/ inside lists the rootfs, not the host's /" {
  run "$CONTAINER" "$ROOTFS" /bin/ls -1 /
  [ "$status" -eq 0 ]
  expect_eq "ls -1 / inside" "$(ls -1 "$ROOTFS")" "$output"
  run "$CONTAINER" "$ROOTFS" /bin/cat /mvrc-marker
  [ "$output" = "made by the test" ]
}

@test "/proc is a fresh proc: it lists one process, the command itself" {
  run "$CONTAINER" "$ROOTFS" /bin/ls /proc
  [ "$status" -eq 0 ]
  pids=$(printf '%s\n' "${lines[@]}" | grep -E '^[0-9]+$' | tr '\n' ' ')
  expect_eq "PIDs listed in /proc inside" "1 " "$pids"
}

@test "/proc/1 inside is the command, not the host's init" {
  run "$CONTAINER" "$ROOTFS" /bin/cat /proc/1/comm
  [ "$status" -eq 0 ]
  [ "$output" = cat ]
  [ "$(cat /proc/1/comm)" != cat ]
}

@test "/proc is mounted nosuid, nodev and noexec" {
  run "$CONTAINER" "$ROOTFS" /bin/grep ' /proc ' /proc/self/mountinfo
  [ "$status" -eq 0 ]
  read -r _ _ _ _ mountpoint options _ <<<"$output"
  [ "$mountpoint" = /proc ]
  [[ ,$options, == *,nosuid,* && ,$options, == *,nodev,* && ,$options, == *,noexec,* ]]
}

@test "the command's mount namespace is not the host's (a different ns inode)" {
  host_ns=$(readlink /proc/self/ns/mnt)
  run "$CONTAINER" "$ROOTFS" /bin/readlink /proc/self/ns/mnt
  [ "$status" -eq 0 ]
  [[ $output == mnt:\[* ]]
  [ "$output" != "$host_ns" ]
}

@test "no mount leaks to the host: its mountinfo has as many lines after as before" {
  before=$(mountinfo_count)
  run "$CONTAINER" "$ROOTFS" /bin/sh -c 'grep -c . /proc/self/mountinfo'
  [ "$status" -eq 0 ]
  expect_eq "lines in the host's /proc/self/mountinfo after the run" "$before" "$(mountinfo_count)"
  # A leaked mount's line is printed, and shown, when the test fails.
  ! grep " $ROOTFS/proc " /proc/self/mountinfo
}

@test "mounts are private: a mount the host makes later does not appear inside" {
  requires_cmd unshare
  # Our own user and mount namespace stands in for a host whose mounts are
  # shared, as systemd makes them. The container waits until the "host" has
  # mounted a tmpfs on ROOTFS/mnt, then lists /mnt: private mounts show
  # nothing, a copy that is still a slave of the host's shows the file.
  rm -f "$ROOTFS/tmp/ready" "$ROOTFS/tmp/go"
  run unshare --user --map-root-user --mount --propagation shared bash -c '
    source "$REPO/tests/helpers/common.bash"
    C=$1 R=$2
    "$C" "$R" /bin/sh -c "touch /tmp/ready; i=0
      until [ -e /tmp/go ] || [ \$i -ge 100 ]; do sleep 0.05; i=\$((i + 1)); done
      ls -A /mnt" &
    poll_until 5 test -e "$R/tmp/ready" || exit 90
    mount -t tmpfs tmpfs "$R/mnt" && touch "$R/mnt/mounted-by-host" || exit 91
    touch "$R/tmp/go"
    wait $!' bash "$CONTAINER" "$ROOTFS"
  expect_eq "exit status (90: the container did not start; 91: the host could not mount)" \
    0 "$status"
  [ "$output" = "" ]
}

@test "a file created inside the rootfs is owned by the caller on the host" {
  run "$CONTAINER" "$ROOTFS" /bin/touch /tmp/made-inside
  [ "$status" -eq 0 ]
  expect_eq "owner uid:gid of the file on the host" "$(id -u):$(id -g)" \
    "$(stat -c %u:%g "$ROOTFS/tmp/made-inside")"
}

@test "the earlier steps still hold: PID 1, hostname container, uid 0" {
  run "$CONTAINER" "$ROOTFS" /bin/sh -c 'echo $$; hostname; id -u'
  [ "$status" -eq 0 ]
  [ "${lines[*]}" = "1 container 0" ]
}

@test "a command missing from the rootfs exits 127 with one line naming execvp" {
  run -127 --separate-stderr "$CONTAINER" "$ROOTFS" /bin/mvrc-no-such-command
  [[ ${stderr_lines[0]} == container:*execvp*"No such file or directory" ]]
  # One line of ours; a sanitizer build may add a notice of its own.
  [ "$(grep -c '^container:' <<<"$stderr")" -eq 1 ]
}

@test "a missing rootfs fails with one line and a hint, and leaves nothing behind" {
  missing=$BATS_TEST_TMPDIR/no-such-rootfs
  before=$(mountinfo_count)
  run --separate-stderr "$CONTAINER" "$missing" /bin/sh -c 'echo must not run'
  [ "$status" -ne 0 ]
  [ "$output" = "" ]
  [[ ${stderr_lines[0]} == "container: "*"No such file or directory" ]]
  [[ ${stderr_lines[1]} == hint:*"make rootfs"* ]]
  [ ! -e "$missing" ]
  expect_eq "lines in the host's /proc/self/mountinfo after the run" "$before" "$(mountinfo_count)"
}

@test "ROOTFS without a CMD is a usage error: exit 125 and a usage line" {
  run -125 --separate-stderr "$CONTAINER" "$ROOTFS"
  [[ $stderr == usage:*ROOTFS* ]]
}
