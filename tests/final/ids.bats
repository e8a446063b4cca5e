#!/usr/bin/env bats
# mvrc run: the user namespace's maps, -u, and who owns what on the host.

load ../helpers/common
load mvrc

bats_require_minimum_version 1.5.0

@test "with subordinate ids, uid_map maps 0 to us and 1... to our range" {
  has_subids || skip "needs /etc/subuid and /etc/subgid lines for $(id -un) and newuidmap"
  run -0 "$MVRC" run "$ROOTFS" cat /proc/self/uid_map /proc/self/gid_map
  read -r -a first <<<"${lines[0]}"
  read -r -a second <<<"${lines[1]}"
  [ "${first[*]}" = "0 $(id -u) 1" ]
  [ "${second[0]}" = 1 ]
  [ "${second[1]}" = "$(subid_start)" ]
  read -r -a gfirst <<<"${lines[2]}"
  [ "${gfirst[*]}" = "0 $(id -g) 1" ]
}

@test "without subordinate ids, uid_map is the single line 0 <uid> 1 and setgroups is denied" {
  ! has_subids || skip "$(id -un) has subordinate ids (see tests/final/root.bats for the single map)"
  [[ $(id -u) -ne 0 ]] || skip "as root the map is the identity"
  run -0 "$MVRC" run "$ROOTFS" cat /proc/self/uid_map /proc/self/setgroups
  read -r -a first <<<"${lines[0]}"
  [ "${first[*]}" = "0 $(id -u) 1" ]
  [ "${lines[1]}" = deny ]
}

@test "the container's root is root inside and us outside" {
  run -0 "$MVRC" run -v "$BATS_TEST_TMPDIR:/data" "$ROOTFS" sh -c 'id -u; touch /data/made-by-root'
  [ "$output" = 0 ]
  [ "$(stat -c %u "$BATS_TEST_TMPDIR/made-by-root")" = "$(id -u)" ]
}

@test "-u UID:GID runs the command as that user and group" {
  has_subids || skip "needs subordinate ids to map uid 1000"
  run -0 "$MVRC" run -u 1000:100 "$ROOTFS" sh -c 'id -u; id -g'
  [ "${lines[0]}" = 1000 ]
  [ "${lines[1]}" = 100 ]
}

@test "a file chowned to 1000 in the container belongs to subuid+999 on the host" {
  has_subids || skip "needs subordinate ids to map uid 1000"
  run -0 "$MVRC" run -v "$BATS_TEST_TMPDIR:/data" "$ROOTFS" \
    sh -c 'touch /data/f && chown 1000:1000 /data/f'
  [ "$(stat -c %u "$BATS_TEST_TMPDIR/f")" = "$(($(subid_start) + 999))" ]
}

@test "-u to an id outside the maps is 125 with the reason" {
  [[ $(id -u) -ne 0 ]] || skip "as root every id is mapped"
  run -125 --separate-stderr "$MVRC" run -u 4000000000 "$ROOTFS" true
  [ "${stderr_lines[0]}" = "mvrc: user 4000000000:0 is not mapped in the container's user namespace" ]
  [[ ${stderr_lines[1]} == hint:* ]]
}

@test "-u with a name is 125: mvrc takes numeric ids" {
  run -125 --separate-stderr "$MVRC" run -u nobody "$ROOTFS" true
  [[ ${stderr_lines[0]} == "mvrc: invalid user id 'nobody': not an integer" ]]
}

@test "a non-root user's HOME comes from the rootfs's /etc/passwd" {
  has_subids || skip "needs subordinate ids to map uid 1000"
  grep -q '^[^:]*:[^:]*:1000:' "$ROOTFS/etc/passwd" || skip "the rootfs has no user 1000"
  run -0 "$MVRC" run -u 1000 "$ROOTFS" sh -c 'echo $HOME'
  [ "$output" = "$(awk -F: '$3 == 1000 { print $6 }' "$ROOTFS/etc/passwd")" ]
}
