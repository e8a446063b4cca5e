#!/usr/bin/env bats
# Step 04: a new user namespace, so everything runs as an ordinary user. The
# program under test is $CONTAINER, by default steps/04-userns/container.
# tests/run.sh runs this suite as an unprivileged user; as root it passes too,
# except for the tests that only mean something for an ordinary user.

load helpers/common

bats_require_minimum_version 1.5.0

setup() {
  step_program 04-userns
}

skip_if_root() {
  [[ $(id -u) -ne 0 ]] || skip "only meaningful for an ordinary user (run it through tests/run.sh)"
}

@test "uid_map inside maps uid 0 to the caller's uid, one ID wide" {
  run "$CONTAINER" cat /proc/self/uid_map
  [ "$status" -eq 0 ]
  read -r -a map <<<"$output"
  expect_eq "/proc/self/uid_map inside (inside outside count)" "0 $(id -u) 1" "${map[*]}"
  expect_eq "lines in /proc/self/uid_map" 1 "${#lines[@]}"
}

@test "gid_map inside maps gid 0 to the caller's gid, one ID wide" {
  run "$CONTAINER" cat /proc/self/gid_map
  [ "$status" -eq 0 ]
  read -r -a map <<<"$output"
  expect_eq "/proc/self/gid_map inside (inside outside count)" "0 $(id -g) 1" "${map[*]}"
  expect_eq "lines in /proc/self/gid_map" 1 "${#lines[@]}"
}

@test "setgroups is denied inside, as an unprivileged gid_map requires" {
  run "$CONTAINER" cat /proc/self/setgroups
  [ "$status" -eq 0 ]
  [ "$output" = deny ]
}

@test "the command runs as uid 0 and gid 0 inside" {
  run "$CONTAINER" sh -c 'id -u; id -g'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0 ]
  [ "${lines[1]}" = 0 ]
}

@test "root inside holds capabilities, in its own user namespace" {
  run "$CONTAINER" grep CapEff /proc/self/status
  [ "$status" -eq 0 ]
  read -r label caps <<<"$output"
  [ "$label" = CapEff: ]
  [ "$((16#$caps))" -ne 0 ]
}

@test "a file root creates inside is owned by the caller on the host" {
  run "$CONTAINER" sh -c 'touch "$1" && stat -c %u:%g "$1"' sh "$BATS_TEST_TMPDIR/made-inside"
  [ "$status" -eq 0 ]
  # The kernel stores the caller's ids either way; only the maps make them
  # read as 0:0 inside (unmapped, they show as 65534).
  expect_eq "owner uid:gid of the file inside" 0:0 "$output"
  expect_eq "owner uid:gid of the file on the host" "$(id -u):$(id -g)" \
    "$(stat -c %u:%g "$BATS_TEST_TMPDIR/made-inside")"
}

@test "files of users without a mapping show up as 65534 inside" {
  skip_if_root
  expect_eq "owner of the host's / (this test needs root's)" 0 "$(stat -c %u /)"
  run "$CONTAINER" stat -c %u /
  [ "$status" -eq 0 ]
  [ "$output" = 65534 ]
}

@test "root inside cannot write what the host's root owns" {
  skip_if_root
  run "$CONTAINER" touch /etc/mvrc-must-not-exist
  [ "$status" -ne 0 ]
  [ ! -e /etc/mvrc-must-not-exist ]
}

@test "the command's user namespace is not the host's (a different ns inode)" {
  host_ns=$(readlink /proc/self/ns/user)
  run "$CONTAINER" readlink /proc/self/ns/user
  [ "$status" -eq 0 ]
  [[ $output == user:\[* ]]
  [ "$output" != "$host_ns" ]
}

@test "an ordinary user now gets PID 1 and the hostname container" {
  run "$CONTAINER" sh -c 'echo $$; cat /proc/sys/kernel/hostname'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 1 ]
  [ "${lines[1]}" = container ]
}

@test "the command's exit status is still passed through" {
  run -5 "$CONTAINER" sh -c 'exit 5'
  # A PATH directory we may not search makes execvp(3) report EACCES (126)
  # instead of ENOENT: search only the standard ones.
  PATH=/usr/local/bin:/usr/bin:/bin run -127 --separate-stderr "$CONTAINER" mvrc-no-such-command
  [[ ${stderr_lines[0]} == container:*"No such file or directory" ]]
}

@test "with user namespaces disabled it fails: one line, then the sysctl to fix it" {
  requires_cmd unshare
  # A user namespace of our own whose user.max_user_namespaces is 0 stands in
  # for a host that allows none: clone(2) then fails with ENOSPC.
  run --separate-stderr unshare --user --map-root-user \
    sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$@"' sh "$CONTAINER" true
  [ "$status" -ne 0 ]
  [[ ${stderr_lines[0]} == "container: "*": No space left on device" ]]
  [[ ${stderr_lines[1]} == hint:*max_user_namespaces* ]]
}
