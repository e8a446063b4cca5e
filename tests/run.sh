#!/usr/bin/env bash
# tests/run.sh [SUITE.bats ...] — run the test suites and print one summary.
#
# With no arguments it runs every suite (tests/*.bats, tests/final/*.bats),
# final/'s unit tests, and the suites marked for the cgroup v2 guest in
# tests/vm when that guest can boot here.
#
# Who runs what:
#   - A suite whose second line is `# mvrc: runs-as root` runs as root (or
#     skips itself when neither root nor sudo is at hand).
#   - Every other suite tests rootless behaviour. Run by an ordinary user, it
#     runs as that user. Run by root (as CI does), it runs as the unprivileged
#     account mvrc-test, which this script creates, from a copy of the
#     repository that the account owns (a checkout under /root is not readable
#     by it), inside a cgroup subtree delegated to it the way systemd's
#     Delegate=yes does for a user session.
#   - A suite whose header also holds `# mvrc: also-in-vm` runs a second time
#     inside tests/vm's cgroup v2 guest.
#
# The last line is `tests: N passed, N failed, N skipped`; the exit status is
# 0 only when nothing failed.
#
# MVRC_BATS_FLAGS adds options to every bats run here (split on spaces), e.g.
# `--print-output-on-failure --report-formatter junit --output DIR`.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
TEST_USER=${MVRC_TEST_USER:-mvrc-test}
SUBID_START=200000
SUBID_COUNT=65536

passed=0 failed=0 skipped=0
failed_names=()

say() { printf '\n== %s\n' "$*"; }

# count_tap LABEL: echo TAP from stdin and add its results to the totals.
count_tap() {
  local label=$1 line
  while IFS= read -r line; do
    printf '%s\n' "$line"
    case $line in
      "ok "*"# skip"*) skipped=$((skipped + 1)) ;;
      "ok "*) passed=$((passed + 1)) ;;
      "not ok "*)
        failed=$((failed + 1))
        failed_names+=("$label: ${line#not ok }")
        ;;
    esac
  done
}

# run_counted LABEL CMD...: run a TAP producer and count its results. A
# producer that exits non-zero without reporting a failed test (it crashed,
# or bats could not load the suite) counts as one failure.
run_counted() {
  local label=$1 before=$failed status_file status
  shift
  status_file=$(mktemp)
  count_tap "$label" < <("$@" 2>&1; echo $? >"$status_file")
  status=$(cat "$status_file")
  rm -f "$status_file"
  if [[ $status != 0 && $failed == "$before" ]]; then
    echo "not ok - $label exited with status $status"
    failed=$((failed + 1))
    failed_names+=("$label: exited with status $status")
  fi
}

header_has() { head -n 5 "$1" | grep -q "^# mvrc: .*$2"; }

# ---- root only: the unprivileged account, its copy, its cgroups -----------

ensure_test_user() {
  if ! id "$TEST_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$TEST_USER" || return 1
  fi
  local f
  for f in /etc/subuid /etc/subgid; do
    grep -q "^$TEST_USER:" "$f" 2>/dev/null ||
      echo "$TEST_USER:$SUBID_START:$SUBID_COUNT" >>"$f"
  done
}

# What a desktop distribution ships and a fresh CI machine may not.
prepare_host() {
  if [[ -c /dev/net/tun ]]; then
    chmod 0666 /dev/net/tun
  fi
}

# stage_copy: a copy of the repository owned by the test account.
# The slides' node_modules (over 100 MB) is copied only for the slides suites.
stage_copy() {
  local exclude=(--exclude=./.git) s status
  for s in "${SUITES[@]}"; do [[ $s == */slides*.bats ]] && break; done
  [[ $s == */slides*.bats ]] || exclude+=(--exclude=./slides/node_modules)
  STAGE=$(mktemp -d /tmp/mvrc-test.XXXXXX) || return 1
  chmod 0755 "$STAGE"
  tar -C "$REPO" "${exclude[@]}" -cf - . | tar -C "$STAGE" -xf -
  # tar exits 1 when a file changed while it was read (a build running
  # beside the tests); the copy is still complete enough to test.
  status=("${PIPESTATUS[@]}")
  ((status[0] <= 1 && status[1] == 0)) || return 1
  chown -R "$TEST_USER:" "$STAGE"
}

# delegate_cgroups: a cgroup per hierarchy under this process's own, owned by
# the test account; DELEGATED lists their cgroup.procs files.
delegate_cgroups() {
  DELEGATED=() CGROUP_DIRS=()
  local id ctrls path mnt dir c
  while IFS=: read -r id ctrls path; do
    if [[ $id == 0 ]]; then
      [[ $(stat -fc %T /sys/fs/cgroup) == cgroup2fs ]] || continue
      mnt=/sys/fs/cgroup
      # On a pure v2 host root's own cgroup usually holds processes, and the
      # no-internal-processes rule forbids children with controllers there:
      # delegate from the top of the hierarchy instead.
      path=/
    else
      c=${ctrls%%,*}
      case ,$ctrls, in *,memory,* | *,pids,* | *,cpu,*) ;; *) continue ;; esac
      mnt=$(findmnt -rno TARGET -t cgroup -O "$c" | head -n 1)
      [[ -n $mnt ]] || continue
    fi
    dir=$mnt${path%/}/$TEST_USER.$$
    mkdir "$dir" || return 1
    if [[ $id == 0 ]]; then
      echo "+cpu +memory +pids" >"$mnt/cgroup.subtree_control" 2>/dev/null
      chown "$TEST_USER:" "$dir" "$dir"/cgroup.{procs,subtree_control,threads}
    else
      chown -R "$TEST_USER:" "$dir"
    fi
    CGROUP_DIRS+=("$dir")
    DELEGATED+=("$dir/cgroup.procs")
  done </proc/self/cgroup
}

release_cgroups() {
  local dir
  for dir in "${CGROUP_DIRS[@]}"; do
    find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
  done
}

# as_test_user CMD...: CMD as the test account, inside its cgroups.
as_test_user() {
  local uid gid
  uid=$(id -u "$TEST_USER") gid=$(id -g "$TEST_USER")
  # shellcheck disable=SC2016  # $$ is the inner shell's pid.
  sh -c 'for f in "$@"; do [ "$f" = -- ] && break; echo $$ >"$f" || exit 125; done
         while [ "$1" != -- ]; do shift; done; shift; exec "$@"' \
    sh "${DELEGATED[@]}" -- \
    setpriv --reuid="$uid" --regid="$gid" --init-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME="$(getent passwd "$TEST_USER" | cut -d: -f6)" \
    USER="$TEST_USER" LANG=C.UTF-8 TERM=dumb ${MVRC_ROOTFS:+MVRC_ROOTFS=$MVRC_ROOTFS} \
    ${CONTAINER:+CONTAINER=$CONTAINER} "$@"
}

# ---- the suites ------------------------------------------------------------

run_suite() {
  local suite=$1 rel=${1#"$REPO"/} start=$SECONDS
  say "$rel"
  local flags
  read -ra flags <<<"${MVRC_BATS_FLAGS:-}"
  if [[ $(id -u) -eq 0 ]] && ! header_has "$suite" "runs-as root"; then
    run_counted "$rel" as_test_user bats --tap "${flags[@]}" "$STAGE/$rel"
  else
    run_counted "$rel" bats --tap "${flags[@]}" "$suite"
  fi
  echo "# $rel took $((SECONDS - start)) s"
}

run_unit_tests() {
  [[ -f $REPO/final/Makefile ]] || return 0
  say "final/ unit tests (check)"
  local out line checks fails errors
  out=$(make -s -C "$REPO/final" check 2>&1)
  printf '%s\n' "$out"
  line=$(printf '%s\n' "$out" | grep -E '[0-9]+%: Checks: [0-9]+' | tail -n 1)
  if [[ -z $line ]]; then
    failed=$((failed + 1))
    failed_names+=("final/ unit tests: no result line")
    return
  fi
  checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
  fails=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
  errors=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
  passed=$((passed + checks - fails - errors))
  failed=$((failed + fails + errors))
  ((fails + errors == 0)) || failed_names+=("final/ unit tests: $fails failures, $errors errors")
}

run_vm_suites() {
  local vm=$REPO/tests/vm/run.sh suites=() s why
  [[ -x $vm ]] || return 0
  # With no suites named, the guest first checks that it is the host the
  # other suites need: cgroup v2, delegated to the user.
  (($#)) || suites=(tests/vm/guest.bats)
  for s in "${SUITES[@]}"; do
    header_has "$s" "also-in-vm" && suites+=("${s#"$REPO"/}")
  done
  ((${#suites[@]})) || return 0
  say "cgroup v2 guest (tests/vm): ${suites[*]}"
  if ! why=$("$vm" --check 2>&1); then
    echo "# skipping the cgroup v2 guest: $why"
    skipped=$((skipped + 1))
    return 0
  fi
  local base=$REPO
  [[ -n ${STAGE:-} ]] && base=$STAGE
  run_counted "cgroup v2 guest" env -C "$base" "$vm" --tap "${suites[@]}"
}

main() {
  local s
  SUITES=()
  if (($#)); then
    for s in "$@"; do SUITES+=("$(cd "$(dirname "$s")" && pwd)/$(basename "$s")"); done
  else
    SUITES=("$REPO"/tests/*.bats "$REPO"/tests/final/*.bats)
  fi

  if [[ $(id -u) -eq 0 ]]; then
    ensure_test_user || { echo "tests/run.sh: cannot create user $TEST_USER" >&2; exit 1; }
    prepare_host
    stage_copy || { echo "tests/run.sh: cannot copy the repository for $TEST_USER" >&2; exit 1; }
    delegate_cgroups || { echo "tests/run.sh: cannot delegate a cgroup to $TEST_USER" >&2; exit 1; }
    trap 'release_cgroups; rm -rf "$STAGE"' EXIT
  fi

  for s in "${SUITES[@]}"; do
    [[ -f $s ]] && run_suite "$s"
  done
  (($#)) || run_unit_tests
  run_vm_suites "$@"

  if ((failed)); then
    printf '\nFailed:\n'
    printf '  %s\n' "${failed_names[@]}"
  fi
  printf '\ntests: %d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
  ((failed == 0))
}

main "$@"
