#!/usr/bin/env bats
# rootfs/fetch.sh: the busybox rootfs every step runs in, built offline from
# the host's static busybox, or pulled through the registry HTTP API v2 from a
# registry on 127.0.0.1 that this suite starts and fills itself.

load helpers/common
load helpers/registry

bats_require_minimum_version 1.5.0

FETCH=$REPO/rootfs/fetch.sh

setup_file() {
  export REG_TMP=$BATS_FILE_TMPDIR/registry
  mkdir -p "$REG_TMP/home"
  # One rootfs built the default way, shared by the offline tests and used as
  # the content of the images pushed below.
  export OFFLINE=$BATS_FILE_TMPDIR/offline
  "$FETCH" "$OFFLINE" >/dev/null

  command -v docker-registry >/dev/null && command -v skopeo >/dev/null &&
    command -v python3 >/dev/null && command -v openssl >/dev/null &&
    command -v curl >/dev/null && command -v jq >/dev/null || return 0
  build_images
  start_registries
  push_images
  export REGISTRIES_UP=1
}

teardown_file() {
  [[ -z ${REG_TMP:-} ]] || registry_stop_all
}

# build_images: an OCI layout holding
#   latest   the offline rootfs as one layer, for this host's architecture
#   multi    an index: this host's image plus one for another architecture
#   foreign  an index offering only the other architecture
#   layered  the rootfs plus two layers with whiteouts and device nodes
#   corrupt  the rootfs plus a layer unique to it (its blob gets damaged)
#   escape   a symlink to a directory outside the rootfs, then a file under it
build_images() {
  local layout=$REG_TMP/layout work=$REG_TMP/work m_host m_other m_layer m_corrupt m_escape idx
  mkdir -p "$layout" "$work/wrong" "$work/lower/opt" "$work/lower/data" "$work/unique"
  export OTHER_ARCH=s390x
  [[ $(host_arch) != s390x ]] || OTHER_ARCH=riscv64

  tar_of "$OFFLINE" "$work/base.tar"
  echo "this layer is for $OTHER_ARCH" >"$work/wrong/WRONG-ARCH"
  tar_of "$work/wrong" "$work/wrong.tar"
  touch "$work/lower/opt/keep" "$work/lower/opt/gone" "$work/lower/data/old"
  tar_of "$work/lower" "$work/lower.tar"
  # The upper layer needs entries an ordinary user cannot make on disk (a
  # character device), so python's tarfile writes it.
  python3 - "$work/upper.tar" <<'EOF'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w") as t:
    def add(name, kind=tarfile.REGTYPE, data=b""):
        info = tarfile.TarInfo(name)
        info.type = kind
        if kind == tarfile.CHRTYPE:
            info.devmajor, info.devminor = 1, 3
        info.size = len(data) if kind == tarfile.REGTYPE else 0
        t.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    add("opt/.wh.gone")                  # deletes opt/gone of the layer below
    add("data/.wh..wh..opq")             # hides everything below in data/
    add("data/new", data=b"upper\n")
    add("dev/null", tarfile.CHRTYPE)     # cannot be made without CAP_MKNOD
    add("dev/initctl", tarfile.FIFOTYPE)
EOF
  export OUTSIDE=$BATS_FILE_TMPDIR/outside
  mkdir -p "$OUTSIDE" "$work/link"
  ln -s "$OUTSIDE" "$work/link/evil"
  tar_of "$work/link" "$work/link.tar"
  mkdir -p "$work/through/evil"
  echo pwned >"$work/through/evil/pwned"
  tar_of "$work/through" "$work/through.tar"
  head -c 4096 /dev/urandom >"$work/unique/noise"
  tar_of "$work/unique" "$work/unique.tar"

  read -r -a m_host < <(oci_manifest "$layout" "$(host_arch)" "$work/base.tar")
  read -r -a m_other < <(oci_manifest "$layout" "$OTHER_ARCH" "$work/wrong.tar")
  read -r -a m_layer < <(oci_manifest "$layout" "$(host_arch)" \
    "$work/base.tar" "$work/lower.tar" "$work/upper.tar")
  read -r -a m_escape < <(oci_manifest "$layout" "$(host_arch)" "$work/link.tar" "$work/through.tar")
  oci_tag "$layout" escape application/vnd.oci.image.manifest.v1+json "${m_escape[@]}"
  read -r -a m_corrupt < <(oci_manifest "$layout" "$(host_arch)" "$work/base.tar" "$work/unique.tar")
  local mt=application/vnd.oci.image.manifest.v1+json it=application/vnd.oci.image.index.v1+json
  oci_tag "$layout" latest "$mt" "${m_host[@]}"
  oci_tag "$layout" layered "$mt" "${m_layer[@]}"
  oci_tag "$layout" corrupt "$mt" "${m_corrupt[@]}"
  read -r -a idx < <(oci_index "$layout" "$OTHER_ARCH ${m_other[*]}" "$(host_arch) ${m_host[*]}")
  oci_tag "$layout" multi "$it" "${idx[@]}"
  read -r -a idx < <(oci_index "$layout" "$OTHER_ARCH ${m_other[*]}")
  oci_tag "$layout" foreign "$it" "${idx[@]}"
  # The blob the corruption test damages: the last layer of "corrupt".
  export CORRUPT_BLOB
  CORRUPT_BLOB=$(jq -r '.layers[-1].digest' "$layout/blobs/sha256/${m_corrupt[0]#sha256:}")
}

# start_registries: an open registry on PORT and, on AUTH_PORT, one that
# serves the same storage only to holders of a bearer token from the token
# server on TOKEN_PORT.
start_registries() {
  export PORT AUTH_PORT TOKEN_PORT STORAGE=$REG_TMP/storage
  PORT=$(free_port)
  AUTH_PORT=$(free_port)
  TOKEN_PORT=$(free_port)
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mvrc-token-issuer \
    -keyout "$REG_TMP/token.key" -out "$REG_TMP/token.crt" 2>/dev/null
  token_server_start "$TOKEN_PORT" "$REG_TMP/token.key" "$REG_TMP/token.crt" mvrc-issuer
  registry_start open "$PORT" "$STORAGE"
  registry_start auth "$AUTH_PORT" "$STORAGE" "http://127.0.0.1:$TOKEN_PORT/token" \
    mvrc-registry mvrc-issuer "$REG_TMP/token.crt"
}

push_images() {
  local tag
  for tag in latest multi foreign layered escape; do
    oci_push "$REG_TMP/layout" "$tag" "docker://127.0.0.1:$PORT/library/busybox:$tag"
  done
  oci_push "$REG_TMP/layout" corrupt "docker://127.0.0.1:$PORT/library/corrupt:latest"
  # the same multi-arch image as a Docker manifest list of schema 2 manifests
  oci_push "$REG_TMP/layout" multi "docker://127.0.0.1:$PORT/library/docker-v2:multi" --format v2s2
}

requires_registry() {
  requires_cmd docker-registry skopeo python3 openssl curl jq
  [[ ${REGISTRIES_UP:-} == 1 ]] || skip "the local registries did not start (see setup_file)"
}

setup() {
  DEST=$BATS_TEST_TMPDIR/dest/rootfs
  mkdir -p "${DEST%/*}"
}

# leftovers DIR: what fetch.sh left in DIR besides the rootfs itself.
leftovers() {
  find "$1" -mindepth 1 -maxdepth 1 -name '*.tmp.*'
}

# --- offline ---------------------------------------------------------------

@test "offline: the rootfs's busybox runs" {
  run "$OFFLINE/bin/busybox" true
  [ "$status" -eq 0 ]
}

@test "offline: bin/sh and the other applets are relative links to busybox" {
  [ "$(readlink "$OFFLINE/bin/sh")" = busybox ]
  [ "$(readlink "$OFFLINE/bin/ls")" = busybox ]
  # one link per applet busybox knows, besides busybox itself
  [ "$(find "$OFFLINE/bin" -type l -lname busybox | wc -l)" -eq "$(($("$OFFLINE/bin/busybox" --list | wc -l) - 1))" ]
}

@test "offline: /etc/passwd names root as uid 0 with /bin/sh" {
  grep -qx 'root:x:0:0:root:/root:/bin/sh' "$OFFLINE/etc/passwd"
  grep -q '^nobody:x:65534:' "$OFFLINE/etc/passwd"
}

@test "offline: /tmp is world-writable with the sticky bit" {
  [ "$(stat -c %a "$OFFLINE/tmp")" = 1777 ]
}

@test "offline: every file belongs to the user who ran fetch.sh" {
  run find "$OFFLINE" ! -user "$(id -u)"
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}

@test "offline: the default destination is rootfs/busybox of the repository, whatever the cwd" {
  mkdir -p "$BATS_TEST_TMPDIR/repo/rootfs"
  cp "$FETCH" "$BATS_TEST_TMPDIR/repo/rootfs/fetch.sh"
  cd /
  run "$BATS_TEST_TMPDIR/repo/rootfs/fetch.sh"
  [ "$status" -eq 0 ]
  [ -x "$BATS_TEST_TMPDIR/repo/rootfs/busybox/bin/busybox" ]
}

@test "offline: a second run keeps the complete rootfs and says so" {
  "$FETCH" "$DEST"
  local inode
  inode=$(stat -c %i "$DEST")
  run "$FETCH" "$DEST"
  [ "$status" -eq 0 ]
  [[ $output == *"already complete"* ]]
  [ "$(stat -c %i "$DEST")" = "$inode" ]
}

@test "offline: --force rebuilds a complete rootfs and leaves no temporary directory" {
  "$FETCH" "$DEST"
  touch "$DEST/stale"
  run "$FETCH" --force "$DEST"
  [ "$status" -eq 0 ]
  [ ! -e "$DEST/stale" ]
  [ -x "$DEST/bin/busybox" ]
  [ -z "$(leftovers "${DEST%/*}")" ]
}

@test "an unwritable destination fails with one line and leaves nothing behind" {
  [ "$(id -u)" -ne 0 ] || skip "root writes into a mode 0555 directory anyway (run as an ordinary user: tests/run.sh)"
  chmod 0555 "${DEST%/*}"
  run "$FETCH" "$DEST"
  chmod 0755 "${DEST%/*}"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == "fetch.sh: $DEST: "*"not writable"* ]]
  [ -z "$(ls -A "${DEST%/*}")" ]
}

@test "killed halfway, fetch.sh removes its temporary directory" {
  "$FETCH" "$DEST" >/dev/null 3>&- &
  local pid=$!
  poll_until 10 compgen -G "$DEST.tmp.*"
  kill -TERM "$pid"
  local rc=0
  wait "$pid" || rc=$?
  [ "$rc" -eq 143 ]
  [ -z "$(ls -A "${DEST%/*}")" ]
}

@test "a destination that exists but is no rootfs is refused and kept" {
  mkdir "$DEST"
  echo precious >"$DEST/file"
  run "$FETCH" "$DEST"
  [ "$status" -eq 1 ]
  [[ $output == "fetch.sh: $DEST: exists but is not a complete rootfs"* ]]
  [ "$(cat "$DEST/file")" = precious ]
}

@test "an unknown option fails with one line naming it" {
  run "$FETCH" --bogus "$DEST"
  [ "$status" -eq 2 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == "fetch.sh: --bogus: unknown option"* ]]
  [ ! -e "$DEST" ]
}

@test "--help explains offline and --pull and exits 0" {
  run "$FETCH" --help
  [ "$status" -eq 0 ]
  [[ $output == usage:* ]]
  [[ $output == *--pull* ]]
}

# --- --pull against the local registries --------------------------------------

@test "--pull: an image from the local registry unpacks into a rootfs whose busybox runs" {
  requires_registry
  run --separate-stderr "$FETCH" --pull "127.0.0.1:$PORT/library/busybox:latest" "$DEST"
  [ "$status" -eq 0 ]
  run "$DEST/bin/busybox" true
  [ "$status" -eq 0 ]
  [ "$(readlink "$DEST/bin/sh")" = busybox ]
  run find "$DEST" ! -user "$(id -u)"
  [ -z "$output" ]
}

@test "--pull: nothing on stderr when stderr is not a terminal" {
  requires_registry
  run --separate-stderr "$FETCH" --pull "127.0.0.1:$PORT/library/busybox" "$DEST"
  [ "$status" -eq 0 ]
  [ -z "$stderr" ]
}

@test "--pull: on a terminal, a progress line per layer" {
  requires_registry
  requires_cmd script
  run script -qec "'$FETCH' --pull 127.0.0.1:$PORT/library/busybox:layered '$DEST'" /dev/null
  [ "$status" -eq 0 ]
  [[ $output == *"layer 1/3 sha256:"* ]]
  [[ $output == *"layer 3/3 sha256:"* ]]
}

@test "--pull: from a multi-arch index it takes this host's architecture" {
  requires_registry
  run "$FETCH" --pull "127.0.0.1:$PORT/library/busybox:multi" "$DEST"
  [ "$status" -eq 0 ]
  [ -x "$DEST/bin/busybox" ]
  [ ! -e "$DEST/WRONG-ARCH" ]
}

@test "--pull: a Docker manifest list and Docker schema 2 manifests work like OCI's" {
  requires_registry
  run curl -s -H "Accept: application/vnd.docker.distribution.manifest.list.v2+json" \
    "http://127.0.0.1:$PORT/v2/library/docker-v2/manifests/multi"
  [ "$(jq -r .mediaType <<<"$output")" = application/vnd.docker.distribution.manifest.list.v2+json ]
  run "$FETCH" --pull "127.0.0.1:$PORT/library/docker-v2:multi" "$DEST"
  [ "$status" -eq 0 ]
  [ -x "$DEST/bin/busybox" ]
  [ ! -e "$DEST/WRONG-ARCH" ]
}

@test "--pull: an index without this host's architecture is refused with what it offers" {
  requires_registry
  run "$FETCH" --pull "127.0.0.1:$PORT/library/busybox:foreign" "$DEST"
  [ "$status" -eq 1 ]
  [[ $output == *": no linux/$(host_arch)"*"image (it has: linux/$OTHER_ARCH)" ]]
  [ ! -e "$DEST" ]
}

@test "--pull: by digest, the manifest with that digest is used" {
  requires_registry
  local digest
  digest=$(curl -sfI -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://127.0.0.1:$PORT/v2/library/busybox/manifests/latest" |
    tr -d '\r' | sed -n 's/^[Dd]ocker-[Cc]ontent-[Dd]igest: //p')
  [[ $digest == sha256:* ]]
  run "$FETCH" --pull "127.0.0.1:$PORT/library/busybox@$digest" "$DEST"
  [ "$status" -eq 0 ]
  [ -x "$DEST/bin/busybox" ]
}

@test "--pull: a registry that answers 401 gets a bearer token and then the image" {
  requires_registry
  # without a token the registry refuses: that is what fetch.sh has to handle
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$AUTH_PORT/v2/library/busybox/manifests/latest")" = 401 ]
  : >"$REG_TMP/token.requests"
  run "$FETCH" --pull "127.0.0.1:$AUTH_PORT/library/busybox:multi" "$DEST"
  [ "$status" -eq 0 ]
  [ -x "$DEST/bin/busybox" ]
  grep -qx 'service=mvrc-registry scope=repository:library/busybox:pull' "$REG_TMP/token.requests"
}

@test "--pull: whiteouts delete files and opaque directories of the layers below" {
  requires_registry
  run "$FETCH" --pull "127.0.0.1:$PORT/library/busybox:layered" "$DEST"
  [ "$status" -eq 0 ]
  [ -e "$DEST/opt/keep" ]
  [ ! -e "$DEST/opt/gone" ]
  [ ! -e "$DEST/data/old" ]
  [ "$(cat "$DEST/data/new")" = upper ]
  [ -z "$(find "$DEST" -name '.wh.*')" ]
}

@test "--pull: device nodes and fifos in a layer are skipped" {
  requires_registry
  run "$FETCH" --pull "127.0.0.1:$PORT/library/busybox:layered" "$DEST"
  [ "$status" -eq 0 ]
  [ ! -e "$DEST/dev/null" ]
  [ ! -e "$DEST/dev/initctl" ]
  [ -d "$DEST/dev" ]
}

@test "--pull: a layer cannot write through a lower layer's symlink to outside the rootfs" {
  requires_registry
  run "$FETCH" --pull "127.0.0.1:$PORT/library/busybox:escape" "$DEST"
  [ "$status" -eq 1 ]
  [[ $output == "fetch.sh: layer 2: a path resolves outside the rootfs, to $OUTSIDE" ]]
  [ ! -e "$OUTSIDE/pwned" ]
  [ -z "$(ls -A "${DEST%/*}")" ]
}

@test "--pull: a missing image fails with the registry's 404 and leaves nothing" {
  requires_registry
  run "$FETCH" --pull "127.0.0.1:$PORT/library/nosuchimage:1.0" "$DEST"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == "fetch.sh: 127.0.0.1:$PORT/library/nosuchimage:1.0: not found"*404* ]]
  [ -z "$(ls -A "${DEST%/*}")" ]
}

@test "--pull: a blob whose sha256 does not match its digest is refused and nothing is left" {
  requires_registry
  local hex=${CORRUPT_BLOB#sha256:}
  local data=$STORAGE/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data
  [ -f "$data" ]
  # damage 16 bytes in the middle, keeping the size the registry announces
  dd if=/dev/zero of="$data" bs=1 seek=64 count=16 conv=notrunc status=none
  run "$FETCH" --pull "127.0.0.1:$PORT/library/corrupt" "$DEST"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == "fetch.sh: layer 2 ($CORRUPT_BLOB): digest mismatch: expected $CORRUPT_BLOB, got sha256:"* ]]
  [ -z "$(ls -A "${DEST%/*}")" ]
}

@test "--pull: an unreachable registry fails with one line and leaves nothing" {
  requires_cmd curl jq python3
  local closed
  closed=$(free_port)
  run "$FETCH" --pull "127.0.0.1:$closed/library/busybox" "$DEST"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ $output == "fetch.sh: http://127.0.0.1:$closed: cannot reach the registry: "* ]]
  [ -z "$(ls -A "${DEST%/*}")" ]
}
