#!/usr/bin/env bats
# mvrc: also-in-vm
# Step 07: a network namespace with lo up, and tap0 from slirp4netns
# (10.0.2.100/24, default route via 10.0.2.2, which reaches the host's
# loopback). The program under test is $CONTAINER, by default
# steps/07-network/container. Run as an ordinary user with a delegated cgroup
# (tests/run.sh), like step 06's suite, since step 07 keeps the cgroup.

load helpers/common
load helpers/cgroups

bats_require_minimum_version 1.5.0

setup_file() {
  make_rootfs
}

setup() {
  step_program 07-network
  requires_cmd slirp4netns
  [[ -r /dev/net/tun && -w /dev/net/tun ]] ||
    skip "needs /dev/net/tun open to this user (sudo chmod 0666 /dev/net/tun)"
  setup_cgroups
}

teardown() {
  stop_container
  [[ -n ${SERVER:-} ]] && kill "$SERVER" 2>/dev/null
  teardown_cgroups
  return 0
}

# in_container CMD [ARG...]: runs CMD in a container, bounded in time.
in_container() {
  timeout 60 "${IN_SCOPE[@]}" "$CONTAINER" "$ROOTFS" "$@"
}

@test "the container has its own network namespace, with lo and tap0 only" {
  host_ns=$(readlink /proc/self/ns/net)
  run in_container sh -c 'readlink /proc/self/ns/net; ip -o link | cut -d: -f2 | tr -d " "'
  [ "$status" -eq 0 ]
  [[ ${lines[0]} == net:\[* ]]
  [ "${lines[0]}" != "$host_ns" ]
  [ "${lines[1]}" = lo ]
  [ "${lines[2]}" = tap0 ]
  [ "${#lines[@]}" -eq 3 ]
}

@test "the container's own lo is up, with 127.0.0.1" {
  host_ns=$(readlink /proc/self/ns/net)
  run in_container sh -c 'readlink /proc/self/ns/net; ip -o link show lo; ip -o -4 addr show lo'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" != "$host_ns" ]
  [[ ${lines[1]} == *"<LOOPBACK,UP,"* ]]
  [[ ${lines[2]} == *" inet 127.0.0.1/8 "* ]]
}

@test "tap0 is up with 10.0.2.100/24 and the MTU 65520" {
  run in_container sh -c 'ip -o link show tap0; ip -o -4 addr show tap0'
  [ "$status" -eq 0 ]
  [[ ${lines[0]} == *",UP,"* ]]
  [[ ${lines[0]} == *" mtu 65520 "* ]]
  [[ ${lines[1]} == *" inet 10.0.2.100/24 "* ]]
}

@test "the default route goes via 10.0.2.2 on tap0 (/proc/net/route)" {
  # Destination 0.0.0.0 and gateway 10.0.2.2 as the kernel writes them: in
  # hex, in the host's byte order (0202000A on a little-endian machine).
  run in_container cat /proc/net/route
  [ "$status" -eq 0 ]
  printf '%s\n' "${lines[@]}" | awk '$1 == "tap0" && $2 == "00000000" &&
    ($3 == "0202000A" || $3 == "0A000202") { found = 1 } END { exit !found }'
  run in_container ip route
  [[ ${lines[0]} == "default via 10.0.2.2 dev tap0"* ]]
}

@test "a server on the host's 127.0.0.1 answers the container at 10.0.2.2" {
  requires_cmd python3
  mkdir -p "$BATS_TEST_TMPDIR/www"
  echo "hello from the host" >"$BATS_TEST_TMPDIR/www/hello.txt"
  python3 -u -m http.server --bind 127.0.0.1 --directory "$BATS_TEST_TMPDIR/www" 0 \
    >"$BATS_TEST_TMPDIR/server.log" 2>&1 3>&- &
  SERVER=$!
  poll_until 10 grep -q ' port [0-9]' "$BATS_TEST_TMPDIR/server.log"
  port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$BATS_TEST_TMPDIR/server.log" | head -n 1)
  run in_container wget -q -O - "http://10.0.2.2:$port/hello.txt"
  [ "$status" -eq 0 ]
  [ "$output" = "hello from the host" ]
}

@test "slirp4netns runs while the container does, and is gone after it exits" {
  make_gate
  start_container sh -c 'read x </gate; exit 5'
  slirp=$(pgrep -P "$RUNTIME" -x slirp4netns) ||
    { echo "no slirp4netns is a child of the runtime (PID $RUNTIME)"; false; }
  [ -n "$slirp" ]
  grep -qx "$CPID" <(tr '\0' '\n' <"/proc/$slirp/cmdline") ||
    { echo "slirp4netns is not given the container's PID $CPID: $(tr '\0' ' ' <"/proc/$slirp/cmdline")"; false; }
  open_gate
  wait_runtime
  expect_eq "exit status of the container" 5 "$STATUS"
  [ ! -e "/proc/$slirp" ]
  ! pgrep -u "$(id -u)" -f "^slirp4netns .* $CPID tap0\$"
}

@test "the container still ends cleanly, with its own status, when slirp4netns dies" {
  make_gate
  start_container sh -c 'read x </gate; exit 7'
  slirp=$(pgrep -P "$RUNTIME" -x slirp4netns) ||
    { echo "no slirp4netns is a child of the runtime (PID $RUNTIME)"; false; }
  dirs=$(container_cgroups "$CPID")
  kill -KILL "$slirp"
  open_gate
  wait_runtime
  expect_eq "exit status of the container" 7 "$STATUS"
  [ ! -e "/proc/$slirp" ]
  for dir in $dirs; do
    [ ! -e "$dir" ] || { echo "the container's cgroup is still there: $dir"; false; }
  done
}

@test "without slirp4netns it fails with the fix, and leaves no cgroup behind" {
  before=$(container_cgroup_list)
  # PATH holds no slirp4netns; CMD is given by its full path.
  run "${IN_SCOPE[@]}" env PATH=/nonexistent "$CONTAINER" "$ROOTFS" /bin/true
  expect_eq "exit status" 125 "$status"
  [[ ${lines[0]} == "container: "*slirp4netns*": No such file or directory" ]]
  [[ ${lines[1]} == "hint: "*"apt-get install slirp4netns"* ]]
  expect_eq "container cgroups after the run" "$before" "$(container_cgroup_list)"
}
