# A rootless Podman of its own, for tests/final/podman.bats and bench/run.sh:
# `source scripts/podman-env.bash`.
#
# On a hybrid-cgroup host without a systemd user session nor journald,
# Podman needs cgroup_manager = "cgroupfs" and events_logger = "file".

# podman_env DIR ROOTFS IMAGE: Podman's configuration, storage and runtime
# directory under DIR (exported as XDG_*), and IMAGE imported from ROOTFS.
podman_env() {
  local dir=$1 rootfs=$2 image=$3
  export XDG_CONFIG_HOME=$dir/config XDG_DATA_HOME=$dir/data XDG_RUNTIME_DIR=$dir/run
  mkdir -p "$XDG_CONFIG_HOME/containers" "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
  chmod 0700 "$XDG_RUNTIME_DIR"
  cat >"$XDG_CONFIG_HOME/containers/containers.conf" <<EOC
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$dir/events.log"
EOC
  cat >"$XDG_CONFIG_HOME/containers/storage.conf" <<EOC
[storage]
driver = "vfs"
graphroot = "$XDG_DATA_HOME/storage"
runroot = "$XDG_RUNTIME_DIR/storage"
EOC
  tar -C "$rootfs" -cf "$dir/rootfs.tar" . &&
    podman import -q "$dir/rootfs.tar" "$image" >/dev/null
}

# podman_gone: remove what podman_env's Podman made. Its storage holds files
# of subordinate uids, which only Podman can remove, and its pause process
# keeps its user namespace.
podman_gone() {
  [[ -d ${XDG_RUNTIME_DIR:-} ]] || return 0
  podman system reset --force >/dev/null 2>&1 || true
  local pause=$XDG_RUNTIME_DIR/libpod/tmp/pause.pid
  [[ ! -s $pause ]] || kill "$(cat "$pause")" 2>/dev/null || true
}
