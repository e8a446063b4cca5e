#!/usr/bin/env bats
# Podman drives final/mvrc as its OCI runtime, rootless: `podman --runtime
# final/mvrc run`, -it, exec, stop and kill, ps, resource flags and a
# published port, with an image imported from the busybox rootfs (no
# registry).  Podman runs mvrc as root of a user namespace of its own and
# hands it a network namespace by path (linux.namespaces[].path).
#
# Podman's configuration and storage live in this suite's temporary
# directory; on a hybrid-cgroup host it needs cgroup_manager = "cgroupfs"
# (no systemd user session here) and events_logger = "file" (no journald).

load ../helpers/common
load mvrc
source "$REPO/scripts/podman-env.bash"

bats_require_minimum_version 1.5.0

IMAGE=localhost/mvrc-busybox

setup_file() {
  command -v podman >/dev/null || return 0
  require_mvrc
  make_rootfs
  podman_env "$BATS_FILE_TMPDIR/podman" "$ROOTFS" "$IMAGE"
}

teardown_file() {
  command -v podman >/dev/null || return 0
  podman_gone
}

setup() {
  requires_cmd podman
}

teardown() {
  pm rm --all --force --time 0 >/dev/null 2>&1 || true
}

pm() {
  podman --runtime "$MVRC" "$@"
}

@test "podman run --rm through mvrc prints the command's output and returns its exit status" {
  run -3 --separate-stderr pm run --rm "$IMAGE" sh -c 'echo hello from mvrc; exit 3'
  [[ $output == "hello from mvrc" ]]
}

@test "the container Podman runs through mvrc is in a pid namespace of its own and in Podman's network namespace" {
  pm run -d --name c1 "$IMAGE" sleep 60 >/dev/null
  [[ $(pm inspect --format '{{.OCIRuntime}}' c1) == "$MVRC" ]]
  pid=$(pm inspect --format '{{.State.Pid}}' c1)
  [[ $(readlink "/proc/$pid/ns/pid") != "$(readlink /proc/self/ns/pid)" ]]
  [[ $(readlink "/proc/$pid/ns/net") != "$(readlink /proc/self/ns/net)" ]]
  run -0 --separate-stderr pm exec c1 cat /proc/1/comm
  [[ $output == sleep ]]
}

@test "podman run -it gives the container a terminal" {
  requires_cmd script
  # The container reads a line from its terminal, so its output is out
  # before it exits.
  run -4 script -qec "podman --runtime $MVRC run --rm -it $IMAGE sh -c 'tty; read x; exit 4'" \
    /dev/null <<<"go"
  [[ $output == *"/dev/pts/0"* ]]
}

@test "podman exec runs a command in the running container and returns its exit status" {
  pm run -d --name c1 "$IMAGE" sleep 60 >/dev/null
  # shellcheck disable=SC2016  # expanded by the container's shell
  run -5 --separate-stderr pm exec -e WHO=exec c1 sh -c 'echo $WHO $(cat /proc/1/comm); exit 5'
  [[ $output == "exec sleep" ]]
}

@test "podman exec -it gives the command a terminal" {
  requires_cmd script
  pm run -d --name c1 "$IMAGE" sleep 60 >/dev/null
  run -0 script -qec "podman --runtime $MVRC exec -it c1 sh -c 'tty; read x'" /dev/null <<<"go"
  [[ $output == *"/dev/pts/"* ]]
}

state_of() {
  pm inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$1"
}

# has_state NAME "STATUS EXITCODE"
has_state() {
  [[ $(state_of "$1") == "$2" ]]
}

@test "podman stop and kill end the container, and podman ps shows it running, then exited" {
  pm run -d --name c1 "$IMAGE" sh -c 'trap "exit 7" TERM; while :; do sleep 0.1; done' >/dev/null
  pm run -d --name c2 "$IMAGE" sleep 60 >/dev/null
  run -0 pm ps --format '{{.Names}} {{.Status}}'
  [[ $output == *"c1 Up"* && $output == *"c2 Up"* ]]
  pm stop --time 10 c1 >/dev/null
  [[ $(state_of c1) == "exited 7" ]]
  pm kill c2 >/dev/null
  poll_until 5 has_state c2 "exited 137"
  run -0 pm ps --format '{{.Names}}'
  [[ -z $output ]]
  run -0 pm ps --all --format '{{.Names}} {{.Status}}'
  [[ $output == *"c1 Exited (7)"* && $output == *"c2 Exited (137)"* ]]
}

@test "podman run --pids-limit reaches the container's cgroup" {
  run --separate-stderr pm run --rm --pids-limit 10 "$IMAGE" cat /sys/fs/cgroup/pids.max
  # shellcheck disable=SC2154  # set by run --separate-stderr
  if [[ $stderr == *"not supported and ignored on cgroups V1 rootless"* ]]; then
    skip "Podman ignores resource limits of rootless containers on cgroup v1 (this host)"
  fi
  [[ $status -eq 0 && $output == 10 ]]
}

# A free TCP port on the host's loopback.
free_port() {
  local port
  for port in $(shuf -i 20000-40000 -n 20); do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && echo "$port" && return 0
  done
  return 1
}

@test "a port published with -p reaches the container through Podman's network" {
  requires_cmd curl
  port=$(free_port)
  pm run -d --name web -p "127.0.0.1:$port:8080" "$IMAGE" \
    sh -c 'mkdir /www && echo served by mvrc >/www/index.html && exec httpd -f -p 8080 -h /www' >/dev/null
  poll_until 10 curl -sf --max-time 1 -o "$BATS_TEST_TMPDIR/page" "http://127.0.0.1:$port/"
  [[ $(cat "$BATS_TEST_TMPDIR/page") == "served by mvrc" ]]
}
