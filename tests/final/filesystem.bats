#!/usr/bin/env bats
# mvrc run: pivot_root, /proc, /sys, /dev, masked and read-only paths,
# volumes and --read-only.

load ../helpers/common
load mvrc

bats_require_minimum_version 1.5.0

@test "the root is the rootfs, and the host's root is gone (pivot_root, not chroot)" {
  touch "$ROOTFS/only-in-rootfs"
  run -0 "$MVRC" run "$ROOTFS" sh -c 'ls /only-in-rootfs; grep -c . /proc/self/mountinfo; awk "\$5 == \"/\"" /proc/self/mountinfo | wc -l'
  [ "${lines[0]}" = /only-in-rootfs ]
  # exactly one mount at /: no old root stacked underneath
  [ "${lines[2]}" = 1 ]
}

@test "the container's mounts do not appear on the host" {
  local before
  before=$(mountinfo_count)
  run -0 "$MVRC" run "$ROOTFS" true
  [ "$(mountinfo_count)" = "$before" ]
}

@test "/proc is a new proc showing only the container's processes" {
  run -0 "$MVRC" run "$ROOTFS" awk -v p=/proc "$MOUNT_OF" /proc/self/mountinfo
  [[ $output == "proc rw,nosuid,nodev,noexec"* ]]
  run -0 "$MVRC" run "$ROOTFS" sh -c 'cat /proc/1/comm; true'
  [ "$output" = sh ]
}

@test "a rootfs whose /proc is a symlink is refused with 125" {
  local evil=$BATS_TEST_TMPDIR/evil
  cp -a "$ROOTFS" "$evil"
  rmdir "$evil/proc"
  ln -s /etc "$evil/proc"
  run -125 --separate-stderr "$MVRC" run "$evil" true
  [[ $stderr == "mvrc: mount proc: refusing /proc: it is a symlink"* ]]
}

@test "/sys is mounted read-only" {
  run -0 "$MVRC" run "$ROOTFS" awk -v p=/sys "$MOUNT_OF" /proc/self/mountinfo
  [[ $output == "sysfs ro,"* ]]
  run -1 "$MVRC" run "$ROOTFS" touch /sys/x
  [[ $output == *"Read-only file system"* ]]
}

@test "/dev holds exactly the standard devices and links" {
  run -0 "$MVRC" run "$ROOTFS" ls /dev
  [ "$(echo $output)" = "core fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero" ]
}

@test "/dev/null, /dev/zero and /dev/urandom work" {
  run -0 "$MVRC" run "$ROOTFS" sh -c 'echo gone >/dev/null && head -c 4 /dev/zero | od -An -tx1 && head -c 16 /dev/urandom | wc -c'
  [ "$(echo ${lines[0]})" = "00 00 00 00" ]
  [ "$(echo ${lines[1]})" = 16 ]
}

@test "/dev/pts is a new devpts instance and /dev/ptmx points into it" {
  run -0 "$MVRC" run "$ROOTFS" readlink /dev/ptmx
  [ "$output" = pts/ptmx ]
  run -0 "$MVRC" run "$ROOTFS" awk -v p=/dev/pts "$MOUNT_OF" /proc/self/mountinfo
  [[ $output == "devpts "*ptmxmode=666* ]]
  run -0 "$MVRC" run "$ROOTFS" ls /dev/pts
  [ "$output" = ptmx ]      # none of the host's ptys
}

@test "/dev/shm is a writable tmpfs" {
  run -0 "$MVRC" run "$ROOTFS" awk -v p=/dev/shm "$MOUNT_OF" /proc/self/mountinfo
  [[ $output == "tmpfs rw,nosuid,nodev,noexec"* ]]
  run -0 "$MVRC" run "$ROOTFS" touch /dev/shm/f
}

@test "masked files read as empty and masked directories are empty" {
  run -0 "$MVRC" run "$ROOTFS" sh -c 'for f in /proc/keys /proc/timer_list /proc/sched_debug /proc/kcore; do [ -e $f ] && wc -c <$f; done; ls -A /sys/firmware | wc -l; touch /sys/firmware/x 2>/dev/null || echo ro'
  for line in "${lines[@]}"; do
    [ "$line" = 0 ] || [ "$line" = ro ]
  done
  [ "${lines[-1]}" = ro ]
  [ "${#lines[@]}" -ge 3 ]
}

@test "/proc/sys, /proc/irq, /proc/bus, /proc/fs are read-only" {
  local p
  for p in /proc/sys /proc/irq /proc/bus /proc/fs; do
    [[ -e $p ]] || continue
    run -0 "$MVRC" run "$ROOTFS" awk -v p=$p "$MOUNT_OF" /proc/self/mountinfo
    [[ $output == "proc ro,"* ]]
  done
}

@test "writing to /proc/sys fails inside the container" {
  run "$MVRC" run "$ROOTFS" sh -c 'echo other >/proc/sys/kernel/hostname'
  [ "$status" -ne 0 ]
  [[ $output == *"Read-only file system"* ]]
}

@test "-v SRC:DST bind-mounts a host directory read-write" {
  mkdir -p "$BATS_TEST_TMPDIR/vol"
  echo from-host >"$BATS_TEST_TMPDIR/vol/in"
  run -0 "$MVRC" run -v "$BATS_TEST_TMPDIR/vol:/data" "$ROOTFS" sh -c 'cat /data/in; echo from-container >/data/out'
  [ "$output" = from-host ]
  [ "$(cat "$BATS_TEST_TMPDIR/vol/out")" = from-container ]
}

@test "-v SRC:DST:ro is read-only inside" {
  mkdir -p "$BATS_TEST_TMPDIR/vol"
  run -1 "$MVRC" run -v "$BATS_TEST_TMPDIR/vol:/data:ro" "$ROOTFS" touch /data/out
  [[ $output == *"Read-only file system"* ]]
  [ ! -e "$BATS_TEST_TMPDIR/vol/out" ]
}

@test "-v of a single file creates its mount point" {
  echo one-file >"$BATS_TEST_TMPDIR/file"
  run -0 "$MVRC" run -v "$BATS_TEST_TMPDIR/file:/etc/extra.conf:ro" "$ROOTFS" cat /etc/extra.conf
  [ "$output" = one-file ]
}

@test "-v with a missing source is 125 with the reason, and nothing is left" {
  local before
  before=$(mountinfo_count)
  run -125 --separate-stderr "$MVRC" run -v "$BATS_TEST_TMPDIR/none:/data" "$ROOTFS" true
  [ "$stderr" = "mvrc: volume $BATS_TEST_TMPDIR/none: No such file or directory" ]
  [ "$(mountinfo_count)" = "$before" ]
}

@test "-v with a relative source is 125" {
  run -125 --separate-stderr "$MVRC" run -v data:/data "$ROOTFS" true
  [[ $stderr == "mvrc: invalid volume 'data:/data': the source must be an absolute host path" ]]
}

@test "a volume destination that is a symlink to the host's path stays inside the rootfs" {
  mkdir -p "$BATS_TEST_TMPDIR/vol" "$BATS_TEST_TMPDIR/outside"
  ln -sfn "$BATS_TEST_TMPDIR/outside" "$ROOTFS/escape"
  run -0 "$MVRC" run -v "$BATS_TEST_TMPDIR/vol:/escape" "$ROOTFS" true
  rm -f "$ROOTFS/escape"
  # the symlink's absolute target was resolved inside the rootfs
  [ -d "$ROOTFS$BATS_TEST_TMPDIR/outside" ]
  rm -rf "${ROOTFS:?}/${BATS_TEST_TMPDIR#/}"
}

@test "--read-only makes the root read-only, but not /dev/shm or volumes" {
  mkdir -p "$BATS_TEST_TMPDIR/vol"
  run -0 "$MVRC" run --read-only -v "$BATS_TEST_TMPDIR/vol:/data" "$ROOTFS" \
    sh -c 'touch /x 2>&1; touch /dev/shm/x && touch /data/x && echo writable'
  [[ ${lines[0]} == *"Read-only file system"* ]]
  [ "${lines[1]}" = writable ]
}
