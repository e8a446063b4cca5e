#!/usr/bin/env bash
# shellcheck disable=SC2034  # the pkgs_* arrays are read through a nameref in wanted()
# install-deps.sh — install the Debian/Ubuntu packages mvrc needs, and only those missing.
#
#   scripts/install-deps.sh [--check] [GROUP...]     (default group: core; `all` = every group)
#
# `make test` and `make demo` call this every time, so when nothing is missing it
# asks dpkg only, prints nothing and needs neither the network nor root.
# Otherwise it says what it installs and runs apt-get (through sudo when not root).
# --check installs nothing: it lists what is missing and exits 1 if anything is.
#
# Exit: 0 all present (or installed), 1 missing and could not install, 2 bad usage.
set -euo pipefail

# ---- the groups: one package per line or per purpose; add a package by adding a line ----

ALL_GROUPS=(core test vm bench slides oci)

pkgs_core=(
	gcc make pkg-config libc6-dev             # build the steps and final/
	libcap-dev libseccomp-dev libjson-c-dev   # final/: capabilities, seccomp, config.json
	busybox-static                            # rootfs/fetch.sh: the offline rootfs
	slirp4netns passt                         # 07-network, final/ --network slirp4netns|pasta
	uidmap                                    # newuidmap/newgidmap: subordinate id ranges
	iproute2 util-linux                       # ip, unshare, setpriv, nsenter
	curl jq ca-certificates                   # rootfs/fetch.sh --pull
)
pkgs_test=(
	bats                                      # every tests/*.bats
	check                                     # final/tests: unit tests
	docker-registry skopeo openssl            # a local registry for rootfs/fetch.sh --pull
	python3                                   # loopback servers and clients in tests
	procps                                    # pgrep, ps
	tmux                                      # -t/--tty tests drive a terminal
)
pkgs_vm=(
	qemu-system-x86                           # tests/vm: a cgroup v2 guest
	linux-image-amd64                         # tests/vm: the guest kernel
)
pkgs_bench=(
	hyperfine                                 # start-time comparison
	bubblewrap runc                           # the runtimes mvrc is measured against
	iperf3                                    # network throughput
	gnuplot-nox                               # the chart in bench/RESULTS.md
)
pkgs_slides=(
	nodejs npm                                # build slides/ to HTML
	chromium                                  # slides/ to PDF, and the browser test
	fonts-dejavu-core                         # the fonts the deck is rendered with
)
pkgs_oci=(
	podman                                    # drives final/mvrc as an OCI runtime, rootless
	containerd                                # drives it as root (ctr)
)

# ---- helpers ----

die() {
	echo "install-deps: $*" >&2
	exit 1
}

usage() {
	echo "usage: scripts/install-deps.sh [--check] [GROUP...]   groups: ${ALL_GROUPS[*]} all (default: core)" >&2
	exit 2
}

# distro_name PKG: the package's name on this distribution (Debian's names above).
DISTRO=$( [[ -r /etc/os-release ]] && . /etc/os-release; echo " ${ID:-} ${ID_LIKE:-} ")
distro_name() {
	case "$DISTRO:$1" in
	*" ubuntu "*:linux-image-amd64) echo linux-image-generic ;;
	*) echo "$1" ;;
	esac
}

# wanted GROUP...: print the packages of the groups, each once, in order.
wanted() {
	local group pkg
	local -A seen=()
	for group; do
		local -n list="pkgs_$group"
		for pkg in "${list[@]}"; do
			pkg=$(distro_name "$pkg")
			[[ -n ${seen[$pkg]:-} ]] && continue
			seen[$pkg]=1
			echo "$pkg"
		done
		unset -n list
	done
}

# missing PKG...: print those not installed. A package counts as installed when
# dpkg has it, or when an installed package Provides it (nodesource's nodejs provides npm).
missing() {
	local -A have=()
	local status name provided
	while read -r status name; do
		[[ $status == installed ]] && have[$name]=1
	done < <(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "$@" 2>/dev/null || true)
	local pkg absent=()
	for pkg; do
		[[ -n ${have[$pkg]:-} ]] || absent+=("$pkg")
	done
	((${#absent[@]})) || return 0
	while read -r status provided; do
		[[ $status == installed ]] || continue
		for name in ${provided//,/ }; do
			[[ $name == [a-z0-9]* ]] && have[$name]=1   # skips "(= 1.2)" version parts
		done
	done < <(dpkg-query -W -f='${db:Status-Status} ${Provides}\n' 2>/dev/null || true)
	for pkg in "${absent[@]}"; do
		[[ -n ${have[$pkg]:-} ]] || echo "$pkg"
	done
}

# apt_install PKG...: install with apt-get, as root or through sudo.
apt_install() {
	local sudo=()
	if ((EUID != 0)); then
		command -v sudo >/dev/null ||
			die "not root and no sudo: install these packages by hand: $*"
		sudo=(sudo)
	fi
	echo "install-deps: installing: $*"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q update ||
		die "apt-get update failed; install these packages by hand: $*"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends "$@" ||
		die "apt-get install failed; install these packages by hand: $*"
}

# ---- main ----

main() {
	local check_only="" groups=() arg
	for arg; do
		case "$arg" in
		--check) check_only=1 ;;
		-h | --help) usage ;;
		-*)
			echo "install-deps: unknown option '$arg' (usage: scripts/install-deps.sh [--check] [GROUP...])" >&2
			exit 2
			;;
		all) groups+=("${ALL_GROUPS[@]}") ;;
		*)
			[[ " ${ALL_GROUPS[*]} " == *" $arg "* ]] || {
				echo "install-deps: unknown group '$arg' (groups: ${ALL_GROUPS[*]} all)" >&2
				exit 2
			}
			groups+=("$arg")
			;;
		esac
	done
	((${#groups[@]})) || groups=(core)

	local pkgs=()
	mapfile -t pkgs < <(wanted "${groups[@]}")

	if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
		die "not a Debian-like system (no dpkg-query/apt-get): install your distribution's equivalents of: ${pkgs[*]}"
	fi

	local todo=()
	mapfile -t todo < <(missing "${pkgs[@]}")
	((${#todo[@]})) || return 0
	if [[ -n $check_only ]]; then
		echo "install-deps: missing: ${todo[*]}"
		exit 1
	fi
	apt_install "${todo[@]}"
}

main "$@"
