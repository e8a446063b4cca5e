#!/usr/bin/env bash
# tests/vm/run.sh [--tap] SUITE.bats...   run bats suites in a cgroup v2 guest
# tests/vm/run.sh --check                 can this host boot the guest?
#
# The guest is Debian's own kernel under qemu (TCG) with an initramfs made
# here from busybox-static and the kernel's modules. It sees the host's whole
# root read-only over 9p, with a tmpfs overlay for writes, mounts cgroup v2
# with cpu, io, memory and pids, delegates a subtree to the test user as
# systemd does for user@UID.service, and runs the suites there as that user
# ($MVRC_TEST_USER, default mvrc-test). One boot runs every suite given.
#
# Output: bats' TAP with --tap (or when stdout is not a terminal), bats'
# pretty format otherwise; diagnostics go to stderr. Exit status: 0 when every
# test passed, 1 when a test failed, 2 when the guest could not run them.
#
# Environment: MVRC_VM_TIMEOUT (seconds, default 900), MVRC_VM_KERNEL (a
# vmlinuz whose modules are in /lib/modules), MVRC_TEST_USER; CONTAINER and
# MVRC_* are passed on to the suites.
set -uo pipefail
shopt -s lastpipe

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
PROG=tests/vm/run.sh
QEMU=qemu-system-x86_64
# What mounting the host's root needs; modules.dep adds their dependencies.
MODULES=(virtio_pci 9pnet_virtio 9p overlay)

die() {
  echo "$PROG: $*" >&2
  exit 2
}

usage() {
  echo "usage: $PROG [--tap] SUITE.bats... | $PROG --check" >&2
  exit 2
}

# find_busybox: a statically linked busybox, which the initramfs needs.
find_busybox() {
  local b
  for b in ${MVRC_VM_BUSYBOX:-} /bin/busybox /usr/bin/busybox; do
    [[ -x $b ]] || continue
    # A dynamic executable names its loader; a static one has none.
    LC_ALL=C grep -qa '/ld-linux' "$b" && continue
    BUSYBOX=$b
    return 0
  done
  return 1
}

# find_kernel: KERNEL and KVER, the newest readable kernel with its modules.
find_kernel() {
  local k v ks
  if [[ -n ${MVRC_VM_KERNEL:-} ]]; then
    set -- "$MVRC_VM_KERNEL"
  else
    mapfile -t ks < <(printf '%s\n' /boot/vmlinuz-* | sort -rV)
    set -- "${ks[@]}"
  fi
  for k; do
    v=${k##*/vmlinuz-}
    [[ -r $k && -r /lib/modules/$v/modules.dep ]] || continue
    KERNEL=$k KVER=$v
    return 0
  done
  return 1
}

# module_paths: the modules to load, dependencies first, one path a line
# relative to /lib/modules/$KVER; nothing for a module built into the kernel.
module_paths() {
  local dir=/lib/modules/$KVER m line deps i
  local -A seen=()
  for m in "${MODULES[@]}"; do
    grep -Eq "/$m\.ko$" "$dir/modules.builtin" 2>/dev/null && continue
    line=$(grep -E "(^|/)$m\.ko(\.xz|\.zst|\.gz)?:" "$dir/modules.dep") || {
      echo "$PROG: kernel $KVER has no module $m" >&2
      return 1
    }
    # modules.dep lists every dependency, to be loaded last to first.
    read -ra deps <<<"${line#*:}"
    for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
      [[ -n ${seen[${deps[i]}]:-} ]] || { seen[${deps[i]}]=1; echo "${deps[i]}"; }
    done
    m=${line%%:*}
    [[ -n ${seen[$m]:-} ]] || { seen[$m]=1; echo "$m"; }
  done
}

check() {
  command -v "$QEMU" >/dev/null || {
    echo "no $QEMU (package qemu-system-x86; scripts/install-deps.sh vm installs it)"
    return 1
  }
  find_kernel || {
    echo "no readable /boot/vmlinuz-* with its /lib/modules (package linux-image-amd64; scripts/install-deps.sh vm installs it)"
    return 1
  }
  find_busybox || {
    echo "no statically linked busybox (package busybox-static; scripts/install-deps.sh installs it)"
    return 1
  }
  module_paths 2>&1 >/dev/null | grep . && return 1
  command -v bats >/dev/null || {
    echo "no bats (package bats; scripts/install-deps.sh installs it)"
    return 1
  }
  echo "cgroup v2 guest: $QEMU (TCG) booting $KERNEL"
}

# build_initramfs DIR: INITRD, an uncompressed newc archive, rebuilt when the
# kernel, busybox or init change; cached in tests/out/vm when that is writable.
build_initramfs() {
  local dir=$1 cache=$REPO/tests/out/vm key stage m base n=0
  key=$( (echo "$KVER"; cat "$HERE/init"; ls -lL "$BUSYBOX") | cksum | cut -d' ' -f1)
  mkdir -p "$cache" 2>/dev/null && [[ -w $cache ]] || cache=$dir
  INITRD=$cache/initramfs-$KVER-$key.cpio
  [[ -s $INITRD ]] && return 0
  stage=$dir/initramfs
  mkdir -p "$stage/bin" "$stage/modules" || return 1
  cp "$BUSYBOX" "$stage/bin/busybox" || return 1
  for m in sh mount umount mkdir cat insmod poweroff switch_root usleep; do
    ln -s busybox "$stage/bin/$m"
  done
  cp "$HERE/init" "$stage/init" && chmod 0755 "$stage/init" || return 1
  module_paths >"$dir/modules" || return 1
  while read -r m; do
    n=$((n + 1))
    base=$(printf '%02d-%s' "$n" "${m##*/}")
    base=${base%.xz} base=${base%.zst} base=${base%.gz}
    case $m in
      *.xz) xz -dc "/lib/modules/$KVER/$m" ;;
      *.zst) zstd -qdc "/lib/modules/$KVER/$m" ;;
      *.gz) gzip -dc "/lib/modules/$KVER/$m" ;;
      *) cat "/lib/modules/$KVER/$m" ;;
    esac >"$stage/modules/$base" || return 1
    echo "$base" >>"$stage/modules/order"
  done <"$dir/modules"
  (cd "$stage" && find . | "$BUSYBOX" cpio -o -H newc -R 0:0 2>/dev/null) >"$INITRD.$$" &&
    mv "$INITRD.$$" "$INITRD"
}

# write_job DIR: what the guest runs, as bash assignments.
write_job() {
  local f=$1/job.sh v
  {
    printf 'user=%q\nmode=%q\ncwd=%q\nterm=%q\n' "$USER_NAME" "$MODE" "$PWD" "${TERM:-dumb}"
    printf 'suites=('
    printf ' %q' "${SUITES[@]}"
    printf ' )\nenvs=('
    for v in $(compgen -e); do
      [[ $v == CONTAINER || $v == MVRC_* ]] && printf ' %q' "$v=${!v}"
    done
    printf ' )\n'
  } >"$f"
}

# console_tail: the end of the guest's console, for a failure report.
console_tail() {
  [[ -s $JOB/console.log ]] || return 0
  echo "$PROG: the guest console's last lines:" >&2
  tail -n 25 "$JOB/console.log" | tr -d '\r' | sed 's/^/  | /' >&2
}

main() {
  MODE=pretty
  [[ -t 1 ]] || MODE=tap
  case ${1:-} in
    --check) check; exit ;;
    --tap) MODE=tap; shift ;;
    -h | --help) usage ;;
  esac
  (($#)) || usage
  SUITES=()
  local s
  for s; do
    [[ -f $s && -r $s ]] || die "no suite $s"
    SUITES+=("$(cd "$(dirname "$s")" && pwd)/$(basename "$s")")
  done
  local why
  why=$(check) || die "$why"
  find_kernel && find_busybox
  USER_NAME=${MVRC_TEST_USER:-mvrc-test}
  id "$USER_NAME" >/dev/null 2>&1 ||
    die "no user $USER_NAME on this host (tests/run.sh creates it; or set MVRC_TEST_USER)"

  # The run's directory: the job and the second stage for the guest, which
  # reads them through the shared root; the console log for the host.
  JOB=$(mktemp -d "${TMPDIR:-/tmp}/mvrc-vm.XXXXXX") || die "mktemp failed"
  [[ $JOB != *[[:space:]]* ]] || die "TMPDIR must not contain spaces: $JOB"
  chmod 0755 "$JOB"
  if [[ -n ${MVRC_VM_KEEP:-} ]]; then
    echo "$PROG: keeping $JOB" >&2
  else
    trap 'rm -rf "$JOB"' EXIT
  fi
  cp "$HERE/guest.sh" "$JOB/guest.sh" || die "cannot copy guest.sh"
  write_job "$JOB" || die "cannot write $JOB/job.sh"
  build_initramfs "$JOB" || die "cannot build the initramfs"

  local timeout=${MVRC_VM_TIMEOUT:-900} line status='' started='' qemu_status=''
  local append="console=ttyS0 panic=-1 rdinit=/init mvrc_job=$JOB"
  append+=" cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1"
  append+=" mitigations=off tsc=reliable ${MVRC_VM_APPEND-quiet}"
  # The first serial port is the guest's console, kept in a file; the second
  # carries the test output between markers, on qemu's stdout.
  {
    timeout -k 5 "$timeout" "$QEMU" -accel tcg,thread=multi -M pc -cpu "${MVRC_VM_CPU:-max}" \
      -smp "${MVRC_VM_SMP:-2}" -m 2G -nodefaults -no-user-config -display none -no-reboot \
      -kernel "$KERNEL" -initrd "$INITRD" -append "$append" \
      -serial "file:$JOB/console.log" -serial stdio \
      -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
      -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
      </dev/null 2>"$JOB/qemu.err"
    echo "@@mvrc-vm: qemu-exit $?"
  } | while IFS= read -r line; do
    line=${line%$'\r'}
    case $line in
      "@@mvrc-vm: start"*)
        started=1
        echo "$PROG: the guest was up after ${line##* } s; running ${#SUITES[@]} suite(s) as $USER_NAME" >&2
        ;;
      "@@mvrc-vm: end "*) status=${line##* } ;;
      "@@mvrc-vm: error: "*) echo "$PROG: guest: ${line#*error: }" >&2 ;;
      "@@mvrc-vm: qemu-exit "*) qemu_status=${line##* } ;;
      *)
        if [[ -n $started && -z $status ]]; then
          printf '%s\n' "$line"
        else
          printf '%s\n' "$line" >&2
        fi
        ;;
    esac
  done

  if [[ -n $status ]]; then
    ((status == 0)) && exit 0
    echo "$PROG: bats exited with status $status in the guest" >&2
    exit 1
  fi
  [[ -s $JOB/qemu.err ]] && sed "s|^|$PROG: |" "$JOB/qemu.err" >&2
  console_tail
  case $qemu_status in
    124 | 137) die "the guest did not finish within ${timeout} s (MVRC_VM_TIMEOUT)" ;;
    0) die "the guest stopped before reporting a result" ;;
    *) die "qemu failed with status $qemu_status" ;;
  esac
}

main "$@"
