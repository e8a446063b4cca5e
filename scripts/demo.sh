#!/usr/bin/env bash
# scripts/demo.sh — a short scripted tour of the newest runtime in the tree:
# final/mvrc when it is built, else the newest step. Needs no terminal.
set -euo pipefail
cd "$(dirname "$0")/.."

ROOTFS=${MVRC_ROOTFS:-rootfs/busybox}
[[ -x $ROOTFS/bin/busybox ]] || { echo "demo: no rootfs at $ROOTFS: run make rootfs" >&2; exit 1; }

if [[ -x final/mvrc ]]; then
  run=(final/mvrc run --network none "$ROOTFS")
  who="final/mvrc run --network none $ROOTFS"
else
  step=$(compgen -G 'steps/[0-9][0-9]-*/container' | sort | tail -n 1)
  [[ -n $step ]] || { echo "demo: nothing built: run make" >&2; exit 1; }
  # Steps 01-04 take no rootfs argument.
  case $step in
    steps/0[1-4]-*) run=("$step") ;;
    *) run=("$step" "$ROOTFS") ;;
  esac
  who="${run[*]}"
fi

show() {
  printf '\n$ %s %s\n' "$who" "$*"
  "${run[@]}" "$@" || printf '(exit status %d)\n' "$?"
}

echo "On the host: $(id -un) (uid $(id -u)), hostname $(hostname), $(ls /proc | grep -c '^[0-9]') processes"
show /bin/sh -c 'echo "inside: uid $(id -u), hostname $(hostname), pid $$"'
show cat /proc/self/uid_map
show /bin/sh -c 'ps; echo "$(ls -d /proc/[0-9]* | wc -l) processes visible"'
show /bin/sh -c 'ls /; cat /etc/os-release 2>/dev/null | head -n 1'
show /bin/sh -c 'exit 3'
echo
echo "Each command above ran in its own namespaces and exited; nothing is left behind."
