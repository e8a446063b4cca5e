#!/usr/bin/env bats
# scripts/install-deps.sh: silent and offline when nothing is missing (make
# test calls it every time), apt-get for exactly what is missing otherwise.
# dpkg-query, apt-get and sudo are replaced by fakes on PATH.

load helpers/common

INSTALL_DEPS=$REPO/scripts/install-deps.sh

setup() {
  FAKE=$BATS_TEST_TMPDIR/bin
  CALLS=$BATS_TEST_TMPDIR/calls
  mkdir -p "$FAKE"
  # apt-get and sudo record how they were called; nothing reaches the network.
  cat >"$FAKE/apt-get" <<EOF
#!/bin/sh
echo "apt-get DEBIAN_FRONTEND=\$DEBIAN_FRONTEND \$*" >>"$CALLS"
EOF
  cat >"$FAKE/sudo" <<EOF
#!/bin/sh
echo "sudo" >>"$CALLS"
exec "\$@"
EOF
  chmod +x "$FAKE/apt-get" "$FAKE/sudo"
}

# fake_dpkg [PKG...]: a dpkg-query for which every package but PKG... is installed.
fake_dpkg() {
  cat >"$FAKE/dpkg-query" <<EOF
#!/bin/bash
for a; do
  case \$a in -*) ;; *) [[ " $* " == *" \$a "* ]] || echo "installed \$a" ;; esac
done
EOF
  chmod +x "$FAKE/dpkg-query"
}

@test "with every package present it prints nothing and calls neither apt-get nor sudo" {
  fake_dpkg
  PATH=$FAKE:$PATH run "$INSTALL_DEPS" all
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -e "$CALLS" ]
}

@test "on this host, after make test's own install, the core group needs no apt-get" {
  requires_cmd dpkg-query
  PATH=$FAKE:$PATH run "$INSTALL_DEPS" core
  echo "$output"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -e "$CALLS" ]
}

@test "a missing package is announced and installed with apt-get update, then install --no-install-recommends" {
  fake_dpkg jq tmux
  PATH=$FAKE:$PATH run "$INSTALL_DEPS" core test
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "install-deps: installing: jq tmux" ]
  grep -v '^sudo$' "$CALLS" >"$CALLS.apt"
  [ "$(sed -n 1p "$CALLS.apt")" = "apt-get DEBIAN_FRONTEND=noninteractive -q update" ]
  [ "$(sed -n 2p "$CALLS.apt")" = "apt-get DEBIAN_FRONTEND=noninteractive install -y -q --no-install-recommends jq tmux" ]
}

@test "an ordinary user without sudo gets one line naming the packages to install by hand" {
  [[ $(id -u) -ne 0 ]] || skip "root needs no sudo"
  fake_dpkg jq
  rm "$FAKE/sudo"
  PATH=$FAKE run /bin/bash "$INSTALL_DEPS" core
  [ "$status" -eq 1 ]
  [ "$output" = "install-deps: not root and no sudo: install these packages by hand: jq" ]
  [ ! -e "$CALLS" ]
}

@test "on a host without dpkg and apt-get it lists the packages and fails" {
  mkdir "$BATS_TEST_TMPDIR/empty"
  PATH=$BATS_TEST_TMPDIR/empty run /bin/bash "$INSTALL_DEPS" vm
  [ "$status" -eq 1 ]
  [[ $output == "install-deps: not a Debian-like system"*": qemu-system-x86 linux-image-"* ]]
  [ "${#lines[@]}" -eq 1 ]
}

@test "an unknown group fails with one line naming it" {
  fake_dpkg
  PATH=$FAKE:$PATH run "$INSTALL_DEPS" core nosuchgroup
  [ "$status" -eq 2 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == "install-deps: unknown group 'nosuchgroup'"* ]]
  [ ! -e "$CALLS" ]
}
