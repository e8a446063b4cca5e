#!/usr/bin/env bats
# mvrc: runs-as root
# containerd drives final/mvrc through its runc shim, as root: `ctr run
# --runc-binary final/mvrc`, with an image made here from the busybox rootfs
# (an OCI image layout, no registry) and brought in by `ctr image import`.
# containerd runs with its own root, state and socket in the suite's
# temporary directory, so the host's containerd, if any, is not touched.

load ../helpers/common
load mvrc

bats_require_minimum_version 1.5.0

IMAGE=localhost/mvrc-busybox:latest

# blob FILE: store FILE under blobs/sha256/ of the layout in $LAYOUT and
# print its descriptor's "digest size".
blob() {
  local digest size
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  size=$(stat -c %s "$1")
  mv "$1" "$LAYOUT/blobs/sha256/$digest"
  echo "sha256:$digest $size"
}

# An OCI image layout of the rootfs, one uncompressed layer, as a tar.
make_image() {
  local layer config manifest arch
  LAYOUT=$BATS_FILE_TMPDIR/layout
  mkdir -p "$LAYOUT/blobs/sha256"
  arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
  tar -C "$ROOTFS" -cf "$BATS_FILE_TMPDIR/layer.tar" .
  read -r -a layer < <(blob "$BATS_FILE_TMPDIR/layer.tar")
  jq -n --arg arch "$arch" --arg diff "${layer[0]}" '{architecture: $arch, os: "linux",
    config: {Env: ["PATH=/bin:/usr/bin:/sbin:/usr/sbin"], Cmd: ["sh"]},
    rootfs: {type: "layers", diff_ids: [$diff]}}' >"$BATS_FILE_TMPDIR/config.json"
  read -r -a config < <(blob "$BATS_FILE_TMPDIR/config.json")
  jq -n --arg cd "${config[0]}" --argjson cs "${config[1]}" --arg ld "${layer[0]}" --argjson ls "${layer[1]}" '{
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $cd, size: $cs},
    layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar", digest: $ld, size: $ls}]}' \
    >"$BATS_FILE_TMPDIR/manifest.json"
  read -r -a manifest < <(blob "$BATS_FILE_TMPDIR/manifest.json")
  jq -n --arg d "${manifest[0]}" --argjson s "${manifest[1]}" --arg name "$IMAGE" '{schemaVersion: 2,
    manifests: [{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
                 annotations: {"io.containerd.image.name": $name,
                               "org.opencontainers.image.ref.name": "latest"}}]}' >"$LAYOUT/index.json"
  echo '{"imageLayoutVersion": "1.0.0"}' >"$LAYOUT/oci-layout"
  tar -C "$LAYOUT" -cf "$BATS_FILE_TMPDIR/image.tar" .
}

setup_file() {
  command -v containerd >/dev/null && command -v ctr >/dev/null || return 0
  [[ $(id -u) -eq 0 ]] || return 0
  require_mvrc
  make_rootfs
  CTRD=$BATS_FILE_TMPDIR/containerd
  mkdir -p "$CTRD"
  cat >"$CTRD/config.toml" <<EOC
version = 2
root = "$CTRD/root"
state = "$CTRD/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$CTRD/sock"
[ttrpc]
  address = "$CTRD/sock.ttrpc"
EOC
  containerd --config "$CTRD/config.toml" >"$CTRD/log" 2>&1 3>&- &
  echo $! >"$CTRD/pid"
  export CTRD
  poll_until 10 ctr --address "$CTRD/sock" version >/dev/null 2>&1
  make_image
  ctr --address "$CTRD/sock" image import --all-platforms "$BATS_FILE_TMPDIR/image.tar" >/dev/null
}

teardown_file() {
  [[ -s ${CTRD:-}/pid ]] || return 0
  local pid
  pid=$(cat "$CTRD/pid")
  kill "$pid" 2>/dev/null || true
  poll_until 10 test ! -d "/proc/$pid" || true
  # the snapshots' mounts, should containerd have left any
  grep -o " $CTRD/[^ ]*" /proc/self/mountinfo | xargs -r -n 1 umount -l 2>/dev/null || true
}

setup() {
  requires_cmd containerd ctr
  require_root
}

teardown() {
  local id
  for id in $(c task ls -q 2>/dev/null); do c task kill -s KILL "$id" >/dev/null 2>&1 || true; done
  for id in $(c container ls -q 2>/dev/null); do
    poll_until 5 task_gone "$id" || true
    c task delete "$id" >/dev/null 2>&1 || true
    c container delete "$id" >/dev/null 2>&1 || true
  done
}

c() {
  ctr --address "$CTRD/sock" "$@"
}

task_gone() {
  [[ $(c task ls 2>/dev/null | awk -v id="$1" '$1 == id { print $3 }') != RUNNING ]]
}

task_status() {
  c task ls | awk -v id="$1" '$1 == id { print $3 }'
}

has_status() {
  [[ $(task_status "$1") == "$2" ]]
}

@test "ctr run --runc-binary mvrc prints the command's output and returns its exit status" {
  run -3 c run --rm --runc-binary "$MVRC" --runc-root "$CTRD/runc" "$IMAGE" r1 \
    sh -c 'echo hello from mvrc; exit 3'
  [[ $output == "hello from mvrc" ]]
}

@test "a detached task runs under mvrc, takes ctr task exec, and stops on ctr task kill" {
  c run -d --runc-binary "$MVRC" --runc-root "$CTRD/runc" "$IMAGE" d1 sleep 60 >/dev/null
  [[ $(task_status d1) == RUNNING ]]
  # mvrc's own state, under the root the shim gave it
  run -0 "$MVRC" --root "$CTRD/runc/default" state d1
  [[ $(jq -r .status <<<"$output") == running ]]
  run -4 c task exec --exec-id e1 d1 sh -c 'cat /proc/1/comm; exit 4'
  [[ $output == sleep ]]
  c task kill -s KILL d1
  poll_until 5 has_status d1 STOPPED
}
