#!/usr/bin/env bats
# mvrc's OCI command line: create, start, state, kill, delete, list, ps,
# features and run --bundle on a rootless bundle, as an ordinary user.

load ../helpers/common
load ../helpers/cgroups
load mvrc

bats_require_minimum_version 1.5.0

# A bundle whose process is CMD..., in $BATS_TEST_TMPDIR/bundle; the state
# directory is private to the test.
make_bundle() {
  BUNDLE=$BATS_TEST_TMPDIR/bundle
  mkdir -p "$BUNDLE"
  ln -s "$ROOTFS" "$BUNDLE/rootfs"
  local args
  args=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
  jq -n --argjson args "$args" --argjson uid "$(id -u)" --argjson gid "$(id -g)" '{
    ociVersion: "1.0.2",
    process: {terminal: false, user: {uid: 0, gid: 0}, args: $args,
              env: ["PATH=/bin:/usr/bin"], cwd: "/",
              capabilities: {bounding: ["CAP_KILL"], effective: ["CAP_KILL"], permitted: ["CAP_KILL"]},
              noNewPrivileges: true},
    root: {path: "rootfs", readonly: false},
    hostname: "ocibox",
    mounts: [{destination: "/proc", type: "proc", source: "proc"},
             {destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "mode=755"]},
             {destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev", "size=1m"]}],
    annotations: {"org.example.test": "yes"},
    linux: {namespaces: [{type: "pid"}, {type: "ipc"}, {type: "uts"}, {type: "mount"},
                         {type: "user"}, {type: "network"}],
            uidMappings: [{containerID: 0, hostID: $uid, size: 1}],
            gidMappings: [{containerID: 0, hostID: $gid, size: 1}],
            maskedPaths: ["/proc/kcore"], readonlyPaths: ["/proc/sys"]}
  }' >"$BUNDLE/config.json"
  STATE=$BATS_TEST_TMPDIR/state
  export BUNDLE STATE
}

# Edit the bundle's config.json with a jq filter (jq's options before it).
edit_config() {
  jq "$@" "$BUNDLE/config.json" >"$BUNDLE/c.json" && mv "$BUNDLE/c.json" "$BUNDLE/config.json"
}

oci() {
  "$MVRC" --root "$STATE" "$@"
}

# create with the container's stdio on files: a pipe bats reads would stay
# open for as long as the container lives.
create() {
  oci create --bundle "$BUNDLE" "$1" </dev/null >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
}

status_of() {
  oci state "$1" | jq -r .status
}

is_status() {
  [[ $(status_of "$1") == "$2" ]]
}

teardown() {
  [[ -n ${STATE:-} && -d $STATE ]] || return 0
  local id
  for id in $(oci list -q 2>/dev/null); do
    oci delete --force "$id" >/dev/null 2>&1 || true
  done
}

@test "create leaves the container created, its init waiting, with the spec's state" {
  make_bundle sh -c 'echo started; sleep 30'
  create c1
  run -0 oci state c1
  [[ $(jq -r .status <<<"$output") == created ]]
  [[ $(jq -r .id <<<"$output") == c1 ]]
  [[ $(jq -r .bundle <<<"$output") == "$(realpath "$BUNDLE")" ]]
  [[ $(jq -r '.annotations["org.example.test"]' <<<"$output") == yes ]]
  pid=$(jq -r .pid <<<"$output")
  # the init exists, but the command has not been executed yet
  [[ -d /proc/$pid ]]
  [[ ! -s $BATS_TEST_TMPDIR/out ]]
}

@test "start runs the command: the state goes created, running, stopped" {
  make_bundle sh -c 'echo started; read x </proc/self/fd/0; sleep 1'
  edit_config '.process.args = ["sh", "-c", "echo started; sleep 1"]'
  create c1
  is_status c1 created
  run -0 oci start c1
  poll_until 5 grep -q started "$BATS_TEST_TMPDIR/out"
  is_status c1 running || is_status c1 stopped
  poll_until 5 is_status c1 stopped
  run -0 oci state c1
  [[ $(jq -r .pid <<<"$output") == null ]]
}

@test "the container has its own hostname, pid namespace and uid map" {
  make_bundle sh -c 'hostname; echo $$; cat /proc/self/uid_map'
  create c1
  oci start c1
  poll_until 5 is_status c1 stopped
  run cat "$BATS_TEST_TMPDIR/out"
  [[ ${lines[0]} == ocibox ]]
  [[ ${lines[1]} == 1 ]]
  read -r inside outside count <<<"${lines[2]}"
  [[ $inside == 0 && $outside == "$(id -u)" && $count == 1 ]]
}

@test "delete removes the state, and the container's processes are gone" {
  make_bundle sleep 30
  create c1
  pid=$(oci state c1 | jq -r .pid)
  oci start c1
  run -0 oci delete --force c1
  poll_until 5 test ! -d "/proc/$pid"
  [[ ! -e $STATE/c1 ]]
  run -125 oci state c1
  [[ $output == "mvrc: container c1 does not exist" ]]
}

@test "delete of a running container without --force is refused" {
  make_bundle sleep 30
  create c1
  oci start c1
  run -125 oci delete c1
  [[ ${lines[0]} == "mvrc: container c1 is running" ]]
  is_status c1 running
}

@test "kill sends the signal to the container's init" {
  make_bundle sh -c 'trap "echo got-usr1; exit 3" USR1; while :; do sleep 0.1; done'
  create c1
  oci start c1
  run -0 oci kill c1 USR1
  poll_until 5 is_status c1 stopped
  grep -q got-usr1 "$BATS_TEST_TMPDIR/out"
}

@test "kill with no signal sends SIGTERM; an unknown signal is an error" {
  # PID 1 of a namespace gets only the signals it handles: trap TERM.
  make_bundle sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
  create c1
  oci start c1
  run -125 oci kill c1 SIGFLY
  [[ $output == "mvrc: unknown signal 'SIGFLY'" ]]
  run -0 oci kill c1
  poll_until 5 is_status c1 stopped
}

@test "list shows each container with its status" {
  make_bundle sleep 30
  create c1
  create c2
  oci start c2
  run -0 oci list --format json
  [[ $(jq -r '.[] | select(.id == "c1") | .status' <<<"$output") == created ]]
  [[ $(jq -r '.[] | select(.id == "c2") | .status' <<<"$output") == running ]]
}

@test "ps lists the container's processes by their host pids" {
  make_bundle sleep 30
  create c1
  pid=$(oci state c1 | jq -r .pid)
  oci start c1
  run -0 oci ps --format json c1
  [[ $(jq -r '.[0]' <<<"$output") == "$pid" ]]
}

@test "create of an existing id, and an id with a slash, are errors" {
  make_bundle true
  create c1
  run -125 oci create --bundle "$BUNDLE" c1 </dev/null
  [[ $output == "mvrc: container c1 already exists" ]]
  run -125 oci create --bundle "$BUNDLE" ../x </dev/null
  [[ $output == "mvrc: invalid container id '../x': use [A-Za-z0-9_.+-]" ]]
}

@test "an unsupported config.json field is an error naming it, and leaves no state" {
  make_bundle true
  edit_config '.linux.intelRdt = {closID: "x"}'
  run -125 oci create --bundle "$BUNDLE" c1 </dev/null
  [[ $output == "mvrc: config.json: linux.intelRdt: not supported" ]]
  [[ ! -e $STATE/c1 ]]
}

@test "a bad mount option is an error naming the mount" {
  make_bundle true
  edit_config '.mounts[2].options += ["fast"]'
  run -125 oci create --bundle "$BUNDLE" c1 </dev/null
  [[ $output == "mvrc: config.json: mounts[2].options[3]: unknown mount option 'fast'" ]]
}

@test "--log --log-format json records the error for the caller" {
  make_bundle true
  edit_config '.linux.namespaces += [{type: "sandbox"}]'
  run -125 oci --log "$BATS_TEST_TMPDIR/log" --log-format json create --bundle "$BUNDLE" c1 </dev/null
  run jq -r .msg "$BATS_TEST_TMPDIR/log"
  [[ $output == "config.json: linux.namespaces[6].type: unknown namespace type 'sandbox'" ]]
}

@test "run --bundle creates, starts, waits and deletes, with the command's status" {
  make_bundle sh -c 'echo via-run; exit 7'
  run -7 oci run --bundle "$BUNDLE" r1 </dev/null
  [[ $output == via-run ]]
  [[ ! -e $STATE/r1 ]]
}

@test "mvrc run ROOTFS CMD still runs the rootfs form" {
  run -0 "$MVRC" run --network none "$ROOTFS" echo rootfs-form
  [[ $output == rootfs-form ]]
}

@test "a namespace given by path is joined, as under rootless Podman: the network and hostname of another process" {
  requires_cmd unshare
  make_bundle sh -c 'hostname; readlink /proc/self/ns/net'
  # Like Podman, mvrc runs as root of a user namespace of the user's own
  # and joins a network namespace made there beforehand (by `unshare` here).
  edit_config 'del(.hostname) | del(.linux.uidMappings) | del(.linux.gidMappings)
    | .linux.namespaces |= map(select(.type != "user")
        | if .type == "uts" or .type == "network"
          then .path = "NSDIR/" + (if .type == "uts" then "uts" else "net" end) else . end)'
  # shellcheck disable=SC2016
  run -0 unshare --user --map-root-user sh -c '
    unshare --net --uts sh -c "hostname joined-box; exec sleep 30" </dev/null >/dev/null 2>&1 &
    holder=$!
    i=0
    while [ "$(readlink /proc/$holder/ns/uts)" = "$(readlink /proc/self/ns/uts)" ] ||
          [ "$(cat /proc/$holder/comm)" != sleep ]; do
      i=$((i + 1)); [ $i -lt 100 ] || exit 99; sleep 0.05
    done
    sed -i "s|NSDIR|/proc/$holder/ns|g" "$1/config.json"
    readlink /proc/$holder/ns/net
    "$2" --root "$3" run --bundle "$1" j1 </dev/null
    status=$?
    kill $holder
    exit $status' sh "$BUNDLE" "$MVRC" "$STATE"
  [[ ${lines[1]} == joined-box ]]
  [[ ${lines[2]} == "${lines[0]}" ]]
}

@test "a namespace path that is not a namespace is an error naming it" {
  make_bundle true
  edit_config '.linux.namespaces |= map(if .type == "network" then .path = "/proc/self/ns/uts" else . end)'
  run -125 oci run --bundle "$BUNDLE" c1 </dev/null
  [[ $output == "mvrc: setns(/proc/self/ns/uts, network namespace): Invalid argument" ]]
  [[ ! -e $STATE/c1 ]]
}

# A running container c1 whose init sleeps, for exec.
running() {
  make_bundle sleep 30
  edit_config '.process.env += ["FROM_CONFIG=yes"]'
  create c1
  oci start c1
  INIT=$(oci state c1 | jq -r .pid)
}

@test "exec runs a command in the running container's namespaces, and its exit status comes back" {
  running
  run -3 oci exec c1 sh -c 'hostname; echo $$; readlink /proc/self/ns/net; echo $FROM_CONFIG; exit 3'
  [[ ${lines[0]} == ocibox ]]
  # not PID 1: the container's pid namespace already has its init
  [[ ${lines[1]} -gt 1 ]]
  [[ ${lines[2]} == "$(readlink "/proc/$INIT/ns/net")" ]]
  [[ ${lines[3]} == yes ]]
}

@test "exec follows the container's rules: its capabilities and no_new_privs" {
  running
  run -0 oci exec c1 sh -c 'grep -E "^(CapEff|CapBnd|NoNewPrivs)" /proc/self/status'
  # CAP_KILL alone is bit 5
  [[ ${lines[0]} == *0000000000000020 && ${lines[1]} == *0000000000000020 ]]
  [[ ${lines[2]} =~ NoNewPrivs:[[:space:]]+1 ]]
}

@test "exec --process runs the args, env and cwd of a process.json" {
  running
  jq -n '{args: ["sh", "-c", "pwd; echo $ONLY_HERE; echo ${FROM_CONFIG:-unset}"], env: ["ONLY_HERE=1"],
          cwd: "/tmp", user: {uid: 0, gid: 0}}' >"$BATS_TEST_TMPDIR/process.json"
  run -0 oci exec --process "$BATS_TEST_TMPDIR/process.json" c1
  [[ $output == $'/tmp\n1\nunset' ]]
}

@test "exec --detach returns at once and writes the process's pid, a process of the container" {
  running
  # its stdio on files: it outlives the command, and would hold a pipe open
  oci exec --detach --pid-file "$BATS_TEST_TMPDIR/pid" c1 sleep 20 </dev/null >/dev/null 2>&1
  pid=$(cat "$BATS_TEST_TMPDIR/pid")
  [[ $(readlink "/proc/$pid/ns/pid") == "$(readlink "/proc/$INIT/ns/pid")" ]]
  run -0 oci ps --format json c1
  jq -e --argjson pid "$pid" 'index($pid)' <<<"$output"
}

@test "exec -t gives the process a terminal of the container's own" {
  requires_cmd script
  running
  run -0 script -qec "$MVRC --root $STATE exec -t c1 tty" /dev/null
  [[ $output == /dev/pts/* ]]
}

@test "exec puts the process in the container's cgroup" {
  require_delegated
  make_bundle sleep 30
  edit_config '.linux.resources = {pids: {limit: 20}}'
  create c1
  oci start c1
  init=$(oci state c1 | jq -r .pid)
  # its stdio on files: it outlives the command
  oci exec --detach --pid-file "$BATS_TEST_TMPDIR/pid" c1 sleep 20 </dev/null >/dev/null 2>&1
  pid=$(cat "$BATS_TEST_TMPDIR/pid")
  [[ $(cat "/proc/$pid/cgroup") == "$(cat "/proc/$init/cgroup")" ]]
  [[ $(cat "/proc/$pid/cgroup") != "$(cat /proc/self/cgroup)" ]]
}

@test "exec of a missing command is 127; exec in a stopped container is an error" {
  running
  run -127 oci exec c1 no-such-command
  [[ $output == "mvrc: exec no-such-command: No such file or directory" ]]
  oci kill c1 KILL
  poll_until 5 is_status c1 stopped
  run -125 oci exec c1 true
  [[ $output == "mvrc: container c1 is stopped: cannot exec in it" ]]
}

@test "features reports namespaces, seccomp and mount options as JSON" {
  run -0 "$MVRC" features
  jq -e '.linux.namespaces | index("user")' <<<"$output"
  jq -e '.linux.seccomp.enabled == true' <<<"$output"
  jq -e '.mountOptions | index("rslave")' <<<"$output"
}

@test "a seccomp rule's errno reaches the container" {
  make_bundle mkdir /tmp/x
  edit_config '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
    syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 95}]}'
  run oci run --bundle "$BUNDLE" s1 </dev/null
  [[ $status -ne 0 ]]
  [[ $output == *"Operation not supported"* ]]
}

@test "Podman's default seccomp profile loads, and what it denies fails with its errno" {
  [[ -r /usr/share/containers/seccomp.json ]] || skip "needs /usr/share/containers/seccomp.json (containers-common)"
  make_bundle sh -c 'echo loaded; grep Seccomp: /proc/self/status; unshare -U true 2>&1; swapoff /x 2>&1'
  profile=$(jq -c -f "$BATS_TEST_DIRNAME/fixtures/seccomp-docker2oci.jq" /usr/share/containers/seccomp.json)
  edit_config ".linux.seccomp = $profile"
  run oci run --bundle "$BUNDLE" s1 </dev/null
  [[ ${lines[0]} == loaded ]]
  [[ ${lines[1]} =~ Seccomp:[[:space:]]+2 ]]
  [[ $output == *"swapoff"*"Operation not permitted"* ]]
}

@test "concurrent starts and deletes of one container never interleave" {
  make_bundle sleep 30
  create c1
  for i in 1 2 3 4; do oci start c1 >/dev/null 2>&1 & done
  for i in 1 2 3; do oci delete --force c1 >/dev/null 2>&1 & done
  wait
  # whatever the order, the container ended deleted and clean
  [[ ! -e $STATE/c1 ]]
  run -0 oci list -q
  [[ -z $output ]]
}
