#!/usr/bin/env bats
# final/mvrc --network none|host|slirp4netns|pasta and -p: what the
# container's network namespace holds, a published port answered from the
# host, no way to the host's loopback, and no helper process left behind.

load ../helpers/common

setup_file() {
  make_rootfs
  MVRC=$REPO/final/mvrc
  export MVRC
  [[ -x $MVRC ]] || {
    echo "final/mvrc not built (run make)" >&2
    return 1
  }
}

setup() {
  # A port per test and run, away from the usual ones.
  PORT=$((20000 + ($$ * 7 + BATS_TEST_NUMBER * 13) % 20000))
}

teardown() {
  if [[ -n ${BG_PID:-} ]]; then
    kill -9 "$BG_PID" 2>/dev/null
    wait "$BG_PID" 2>/dev/null
  fi
  true
}

requires_engine() {
  requires_cmd "$1"
  [[ -r /dev/net/tun && -w /dev/net/tun ]] || skip "needs /dev/net/tun readable and writable"
}

# helpers_of PID: the slirp4netns or pasta processes whose parent is PID.
helpers_of() {
  pgrep -P "$1" -f '^(slirp4netns|pasta|passt)' 2>/dev/null
}

# connect_read PORT: connect to 127.0.0.1:PORT and print what the server sends.
connect_read() {
  python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
print(s.recv(100).decode().strip())' "$1" 2>/dev/null
}

# answered PORT TEXT: the server at 127.0.0.1:PORT sends TEXT.
answered() { [[ $(connect_read "$1") == "$2" ]]; }

# serve_on_host PORT: a server on the host's 127.0.0.1:PORT; BG_PID is its pid.
serve_on_host() {
  python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
while True:
    c, _ = s.accept(); c.sendall(b"host-loopback\n"); c.close()' "$1" &
  BG_PID=$!
  poll_until 10 answered "$1" host-loopback
}

@test "--network none: the container has lo, up, and nothing else" {
  run "$MVRC" run --network none "$ROOTFS" cat /proc/net/dev
  [ "$status" -eq 0 ]
  ifaces=$(tail -n +3 <<<"$output" | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')
  [ "$ifaces" = "lo " ]
  run "$MVRC" run --network none "$ROOTFS" ip link show lo
  [[ $output == *"<LOOPBACK,UP"* ]]
}

@test "--network host: the container sees the host's interfaces" {
  run "$MVRC" run --network host "$ROOTFS" cat /proc/net/dev
  [ "$status" -eq 0 ]
  [ "$(tail -n +3 <<<"$output" | cut -d: -f1 | sort)" = "$(tail -n +3 /proc/net/dev | cut -d: -f1 | sort)" ]
}

@test "--network slirp4netns: tap0 with 10.0.2.100/24 and a default route via 10.0.2.2" {
  requires_engine slirp4netns
  run "$MVRC" run --network slirp4netns "$ROOTFS" sh -c 'ip addr show tap0; ip route'
  [ "$status" -eq 0 ]
  [[ $output == *"inet 10.0.2.100/24"* ]]
  [[ $output == *"default via 10.0.2.2 dev tap0"* ]]
}

@test "--network pasta: an interface with the host's address and a default route" {
  requires_engine pasta
  ip route show default | grep -q . || skip "pasta copies the host's default route, and this host has none"
  addr=$(ip -4 -o addr show scope global | awk '{ print $4; exit }')
  run "$MVRC" run --network pasta "$ROOTFS" sh -c 'ip addr; ip route'
  [ "$status" -eq 0 ]
  [[ $output == *"inet $addr"* ]]
  [[ $output == *"default via "* ]]
}

@test "--network slirp4netns -p: the container's server answers on the host's port" {
  requires_engine slirp4netns
  "$MVRC" run --name pub-$$ --hostname pub --network slirp4netns -p "$PORT:8080" "$ROOTFS" \
    sh -c 'while :; do echo "from-$(hostname)" | nc -l -p 8080; done' >/dev/null 2>&1 &
  BG_PID=$!
  poll_until 15 answered "$PORT" from-pub
}

@test "--network pasta -p: the container's server answers on the host's port" {
  requires_engine pasta
  ip route show default | grep -q . || skip "pasta needs a default route on the host"
  "$MVRC" run --name pub-$$ --hostname pub --network pasta -p "$PORT:8080" "$ROOTFS" \
    sh -c 'while :; do echo "from-$(hostname)" | nc -l -p 8080; done' >/dev/null 2>&1 &
  BG_PID=$!
  poll_until 15 answered "$PORT" from-pub
}

@test "-p with a host port already in use is exit 125 naming the port" {
  requires_engine slirp4netns
  serve_on_host "$PORT"
  run "$MVRC" run --network slirp4netns -p "$PORT:8080" "$ROOTFS" true
  [ "$status" -eq 125 ]
  [[ ${lines[0]} == "mvrc: -p $PORT:8080: slirp4netns: "* ]]
}

# no_host_loopback ENGINE ADDR: a server on the host's 127.0.0.1 is out of
# the container's reach at ADDR (the gateway that would lead there).
no_host_loopback() {
  serve_on_host "$PORT"
  run "$MVRC" run --network "$1" "$ROOTFS" sh -c "nc -w 2 $2 $PORT </dev/null; echo rc=\$?"
  [ "$status" -eq 0 ]
  [[ $output != *host-loopback* ]]
}

@test "--network slirp4netns: the container cannot reach a server on the host's 127.0.0.1" {
  requires_engine slirp4netns
  no_host_loopback slirp4netns 10.0.2.2
}

@test "--network pasta: the container cannot reach a server on the host's 127.0.0.1" {
  requires_engine pasta
  ip route show default | grep -q . || skip "pasta needs a default route on the host"
  gw=$(ip route show default | awk '{ print $3; exit }')
  no_host_loopback pasta "$gw"
  # Nor through its own loopback (pasta's -T forwarding).
  run "$MVRC" run --network pasta "$ROOTFS" sh -c "nc -w 2 127.0.0.1 $PORT </dev/null"
  [[ $output != *host-loopback* ]]
}

# helper_gone_after_kill ENGINE: SIGKILL mvrc while its container runs; the
# helper is gone soon after.
helper_gone_after_kill() {
  "$MVRC" run --network "$1" "$ROOTFS" sleep 60 &
  BG_PID=$!
  poll_until 15 helpers_of "$BG_PID"
  helper=$(helpers_of "$BG_PID")
  kill -9 "$BG_PID"
  wait "$BG_PID" 2>/dev/null || true
  BG_PID=
  poll_until 15 test ! -e "/proc/$helper"
}

@test "no slirp4netns is left after mvrc is killed with SIGKILL" {
  requires_engine slirp4netns
  helper_gone_after_kill slirp4netns
}

@test "no pasta is left after mvrc is killed with SIGKILL" {
  requires_engine pasta
  ip route show default | grep -q . || skip "pasta needs a default route on the host"
  helper_gone_after_kill pasta
}

# helper_gone_after_exit ENGINE: the helper is reaped before mvrc exits.
helper_gone_after_exit() {
  "$MVRC" run --network "$1" "$ROOTFS" sleep 1 &
  BG_PID=$!
  poll_until 15 helpers_of "$BG_PID"
  helper=$(helpers_of "$BG_PID")
  wait "$BG_PID"
  BG_PID=
  [ ! -e "/proc/$helper" ]
}

@test "no slirp4netns is left after the container exits" {
  requires_engine slirp4netns
  helper_gone_after_exit slirp4netns
}

@test "no pasta is left after the container exits" {
  requires_engine pasta
  ip route show default | grep -q . || skip "pasta needs a default route on the host"
  helper_gone_after_exit pasta
}

@test "the default network is an uplink: a route out of the container" {
  command -v pasta >/dev/null || command -v slirp4netns >/dev/null ||
    skip "needs pasta or slirp4netns (run scripts/install-deps.sh)"
  run "$MVRC" run "$ROOTFS" ip route
  [ "$status" -eq 0 ]
  [[ $output == *"default via"* ]]
}
