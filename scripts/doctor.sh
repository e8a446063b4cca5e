#!/usr/bin/env bash
# doctor.sh — can this host, and this user, run mvrc's rootless containers?
#
#   scripts/doctor.sh            (or: make doctor)
#
# Run it as the ordinary user who will run the containers. One line per check:
#   OK   <what>
#   WARN <what>: <detail>          works, but something is missing or limited
#   FAIL <what>: <detail>          a step or final/ will fail here
#        fix: <the exact command>  after every WARN and FAIL
# Exit status: 0 when nothing FAILed, 1 otherwise.
#
# Where each check looks can be moved, so that tests can simulate a broken host:
#   MVRC_DOCTOR_TUN          /dev/net/tun
#   MVRC_DOCTOR_SUBUID       /etc/subuid
#   MVRC_DOCTOR_SUBGID       /etc/subgid
#   MVRC_DOCTOR_SYSCTL       /proc/sys
#   MVRC_DOCTOR_CGROUP       /sys/fs/cgroup
#   MVRC_DOCTOR_PROC_CGROUP  /proc/self/cgroup
#   MVRC_ROOTFS              rootfs/busybox
# and commands are looked up in $PATH.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TUN=${MVRC_DOCTOR_TUN:-/dev/net/tun}
SUBUID=${MVRC_DOCTOR_SUBUID:-/etc/subuid}
SUBGID=${MVRC_DOCTOR_SUBGID:-/etc/subgid}
SYSCTL=${MVRC_DOCTOR_SYSCTL:-/proc/sys}
CGROUP=${MVRC_DOCTOR_CGROUP:-/sys/fs/cgroup}
PROC_CGROUP=${MVRC_DOCTOR_PROC_CGROUP:-/proc/self/cgroup}
ROOTFS=${MVRC_ROOTFS:-$REPO/rootfs/busybox}

ME=$(id -un)
SUDO="sudo "
((EUID == 0)) && SUDO=""

# ---- reporting ---------------------------------------------------------------

FAILS=0 WARNS=0
C_OK="" C_WARN="" C_FAIL="" C_OFF=""
if [[ -t 1 && -z ${NO_COLOR:-} ]]; then
	C_OK=$'\e[32m' C_WARN=$'\e[33m' C_FAIL=$'\e[31m' C_OFF=$'\e[0m'
fi

ok() {
	printf '%sOK%s   %s\n' "$C_OK" "$C_OFF" "$1"
}

# report WARN|FAIL WHAT DETAIL FIX [ALTERNATIVE...]: the line, then its fixes.
report() {
	local level=$1 what=$2 detail=$3 fix=$4 colour=$C_WARN alt
	shift 4
	if [[ $level == FAIL ]]; then
		colour=$C_FAIL
		FAILS=$((FAILS + 1))
	else
		WARNS=$((WARNS + 1))
	fi
	printf '%s%s%s %s: %s\n' "$colour" "$level" "$C_OFF" "$what" "$detail"
	printf '     fix: %s\n' "$fix"
	for alt; do
		printf '     or:  %s\n' "$alt"
	done
}

# install_fix PKG: the command that installs a Debian package.
install_fix() {
	if command -v apt-get >/dev/null; then
		echo "${SUDO}apt-get install -y --no-install-recommends $1"
	else
		echo "install the package that provides $1 on Debian (scripts/install-deps.sh lists them)"
	fi
}

# sysctl_fix NAME VALUE: set a sysctl now and at every boot.
sysctl_fix() {
	echo "${SUDO}sysctl -w $1=$2 && echo '$1 = $2' | ${SUDO}tee /etc/sysctl.d/60-mvrc-$1.conf"
}

# sysctl_value NAME: the value, or nothing when this kernel has no such sysctl.
sysctl_value() {
	cat "$SYSCTL/${1//.//}" 2>/dev/null
}

# ---- user namespaces -----------------------------------------------------------

# The AppArmor alternative to turning Ubuntu's restriction off: allow user
# namespaces to mvrc's own programs only.
apparmor_profile_fix() {
	local file=/etc/apparmor.d/mvrc
	echo "printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile mvrc $REPO/{steps/*/container,final/mvrc} flags=(unconfined) {\\n  userns,\\n}\\n' | ${SUDO}tee $file && ${SUDO}apparmor_parser -r $file"
}

# Each sysctl that can refuse unprivileged user namespaces: its name, the
# value that refuses them, the value that allows them.
USERNS_SYSCTLS=(
	"user.max_user_namespaces 0 15000"
	"kernel.unprivileged_userns_clone 0 1"                  # Debian's kernels; 0 by default before Debian 11
	"kernel.apparmor_restrict_unprivileged_userns 1 0"      # Ubuntu; 1 by default since 24.04
)

# userns_cause: why unprivileged user namespaces are refused, from the sysctls;
# prints "DETAIL<TAB>FIX<TAB>ALTERNATIVE" for the first cause found.
userns_cause() {
	local entry name bad good alt
	for entry in "${USERNS_SYSCTLS[@]}"; do
		read -r name bad good <<<"$entry"
		[[ $(sysctl_value "$name") == "$bad" ]] || continue
		alt=""
		[[ $name == *apparmor* ]] && alt=$(apparmor_profile_fix)
		printf '%s = %s\t%s\t%s\n' "$name" "$bad" "$(sysctl_fix "$name" "$good")" "$alt"
		return
	done
	printf 'no sysctl explains it (a seccomp filter or a container around this shell?)\t%s\t\n' \
		"run scripts/doctor.sh on the host itself, outside any container or sandbox"
}

# A user namespace that maps root and makes a mount namespace: what step 05
# does, and what Ubuntu's AppArmor restriction breaks even when a bare
# `unshare -U` still succeeds.
check_userns() {
	local what="unprivileged user namespaces" err detail fix alt
	if ! command -v unshare >/dev/null; then
		report FAIL "$what" "unshare not found" "$(install_fix util-linux)"
		return
	fi
	if err=$(unshare --user --map-root-user --mount true 2>&1); then
		ok "$what (unshare -Urm works; user.max_user_namespaces = $(sysctl_value user.max_user_namespaces))"
		return
	fi
	IFS=$'\t' read -r detail fix alt < <(userns_cause)
	report FAIL "$what" "unshare -Urm true: ${err:-failed}; $detail" "$fix" ${alt:+"$alt"}
}

check_root() {
	((EUID == 0)) || return 0
	report WARN "running as root" "the checks below describe root, not the user who runs the containers" \
		"run scripts/doctor.sh as that user"
}

# ---- cgroups -------------------------------------------------------------------

fstype() {
	stat -fc %T "$1" 2>/dev/null
}

# cgroup_layout: v2, hybrid or v1 (from the filesystem types), or nothing.
cgroup_layout() {
	if [[ $(fstype "$CGROUP") == cgroup2fs ]]; then
		echo v2
	elif [[ $(fstype "$CGROUP/unified") == cgroup2fs ]]; then
		echo hybrid
	elif [[ -d $CGROUP/memory || -d $CGROUP/pids || -d $CGROUP/cpu ]]; then
		echo v1
	fi
}

# own_cgroup HIERARCHY: this process's cgroup path in a hierarchy of
# /proc/self/cgroup ("" for v2, else a v1 controller such as memory).
own_cgroup() {
	local id ctrls path
	while IFS=: read -r id ctrls path; do
		if [[ -z $1 && $id == 0 ]] || [[ -n $1 && ,$ctrls, == *",$1,"* ]]; then
			echo "$path"
			return 0
		fi
	done <"$PROC_CGROUP"
	return 1
}

check_cgroup_layout() {
	case $(cgroup_layout) in
	v2) ok "cgroup layout: v2 (unified at $CGROUP)" ;;
	hybrid) ok "cgroup layout: hybrid (controllers on v1 under $CGROUP, cgroup2 at $CGROUP/unified)" ;;
	v1) ok "cgroup layout: v1 (controllers under $CGROUP)" ;;
	*) report FAIL "cgroup layout" "no cgroup filesystem at $CGROUP" "${SUDO}mount -t cgroup2 none $CGROUP" ;;
	esac
}

# v2: the user's own cgroup must be writable (systemd delegates it) and offer
# the controllers steps 06 and final/ set limits with.
check_cgroup_v2() {
	local path dir have c missing=()
	path=$(own_cgroup "") || {
		report FAIL "cgroup v2 delegation" "no 0:: line in $PROC_CGROUP" "${SUDO}mount -t cgroup2 none $CGROUP"
		return
	}
	dir=$CGROUP${path%/}
	if [[ ! -w $dir || ! -w $dir/cgroup.procs ]]; then
		report FAIL "cgroup v2 delegation" "your cgroup $dir is not writable by $ME" \
			"systemd-run --user --scope -p Delegate=yes bash   # then run mvrc from that shell"
		return
	fi
	have=" $(cat "$dir/cgroup.controllers" 2>/dev/null) "
	for c in cpu memory pids; do
		[[ $have == *" $c "* ]] || missing+=("$c")
	done
	if ((${#missing[@]})); then
		report FAIL "cgroup v2 delegation" "$dir offers no ${missing[*]} controller" \
			"${SUDO}mkdir -p /etc/systemd/system/user@.service.d && printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' | ${SUDO}tee /etc/systemd/system/user@.service.d/delegate.conf && ${SUDO}systemctl daemon-reload   # then log in again"
		return
	fi
	ok "cgroup v2 delegation: $dir is yours, with controllers$have"
}

# v1 (and hybrid): the user's own cgroup in one controller's hierarchy must be
# writable, as tests/run.sh arranges for its test user.
check_cgroup_v1() {
	local ctrl=$1 path dir
	path=$(own_cgroup "$ctrl") || {
		report FAIL "cgroup v1 $ctrl" "not mounted (no $ctrl line in $PROC_CGROUP)" \
			"${SUDO}mkdir -p $CGROUP/$ctrl && ${SUDO}mount -t cgroup -o $ctrl none $CGROUP/$ctrl"
		return
	}
	dir=$CGROUP/$ctrl${path%/}
	if [[ -w $dir && -w $dir/cgroup.procs ]]; then
		ok "cgroup v1 $ctrl delegation: $dir is yours"
		return
	fi
	report FAIL "cgroup v1 $ctrl delegation" "your cgroup $dir is not writable by $ME" \
		"d=$dir/$ME; ${SUDO}mkdir \$d && ${SUDO}chown -R $ME \$d && echo \$\$ > \$d/cgroup.procs   # moves this shell in"
}

check_cgroups() {
	local layout c
	layout=$(cgroup_layout)
	check_cgroup_layout
	case $layout in
	v2) check_cgroup_v2 ;;
	v1 | hybrid) for c in memory pids cpu; do check_cgroup_v1 "$c"; done ;;
	esac
}

# ---- network -------------------------------------------------------------------

check_tun() {
	if [[ ! -e $TUN ]]; then
		report FAIL "$TUN" "missing (slirp4netns and pasta need it)" "${SUDO}modprobe tun" \
			"${SUDO}mkdir -p ${TUN%/*} && ${SUDO}mknod -m 0666 $TUN c 10 200"
	elif [[ ! -c $TUN ]]; then
		report FAIL "$TUN" "not a character device" "${SUDO}rm $TUN && ${SUDO}mknod -m 0666 $TUN c 10 200"
	elif [[ ! -r $TUN || ! -w $TUN ]]; then
		report FAIL "$TUN" "not readable and writable by $ME" "${SUDO}chmod 0666 $TUN"
	else
		ok "$TUN is readable and writable"
	fi
}

# require_tool LEVEL COMMAND PACKAGE WHY: succeed when COMMAND is on PATH,
# else report it (WHY says who needs it) and fail.
require_tool() {
	command -v "$2" >/dev/null && return 0
	report "$1" "$2" "not found ($4)" "$(install_fix "$3")"
	return 1
}

# check_tool LEVEL COMMAND PACKAGE WHY [VERSION-ARG...]: require_tool, and
# show the first line COMMAND prints for VERSION-ARG.
check_tool() {
	local cmd=$2 version=""
	require_tool "$@" || return
	shift 4
	(($#)) && version=$("$cmd" "$@" 2>&1 | head -n 1)
	ok "$cmd${version:+ ($version)}"
}

# ---- subordinate ids -----------------------------------------------------------

# check_idmap_helper newuidmap|newgidmap: present and privileged (setuid root
# or file capabilities), or it cannot write a map for more than one id.
check_idmap_helper() {
	local cmd=$1 path
	require_tool FAIL "$cmd" uidmap "final/ maps subordinate ids with it" || return
	path=$(command -v "$cmd")
	if [[ -u $path && $(stat -c %u "$path") == 0 ]]; then
		ok "$cmd ($path, setuid root)"
	elif command -v getcap >/dev/null && [[ $(getcap "$path") == *cap_set[ug]id* ]]; then
		ok "$cmd ($path, file capabilities)"
	else
		report FAIL "$cmd" "$path is neither setuid root nor has file capabilities" \
			"${SUDO}chown root $path && ${SUDO}chmod u+s $path"
	fi
}

# free_subid_start: the first id after every range in /etc/subuid and /etc/subgid.
free_subid_start() {
	local start=100000 name first count
	while IFS=: read -r name first count; do
		[[ $first =~ ^[0-9]+$ && $count =~ ^[0-9]+$ ]] || continue
		((first + count > start)) && start=$((first + count))
	done < <(cat "$SUBUID" "$SUBGID" 2>/dev/null)
	echo "$start"
}

# check_subids FILE uid|gid: the user has a range of 65536 subordinate ids.
check_subids() {
	local file=$1 kind=$2 name first count start fix
	start=$(free_subid_start)
	fix="${SUDO}usermod --add-sub${kind}s $start-$((start + 65535)) $ME"
	if [[ -r $file ]]; then
		while IFS=: read -r name first count; do
			[[ $name == "$ME" || $name == "$EUID" ]] || continue
			if ((count >= 65536)); then
				ok "$file: $name:$first:$count"
			else
				report WARN "$file" "$ME has only $count subordinate ${kind}s (images use up to 65536)" "$fix"
			fi
			return
		done <"$file"
	fi
	report FAIL "$file" "no line for $ME (final/ then maps a single id)" "$fix"
}

# ---- build tools and the rootfs ---------------------------------------------

# check_pkgconfig MODULE PACKAGE: the library's headers, as pkg-config finds them.
check_pkgconfig() {
	local version
	if version=$(pkg-config --modversion "$1" 2>/dev/null); then
		ok "$1 headers ($1 $version)"
	else
		report FAIL "$1 headers" "pkg-config does not find $1" "$(install_fix "pkg-config $2")"
	fi
}

# Debian's busybox-static: rootfs/fetch.sh copies it into the rootfs, where no
# shared library would be found.
check_busybox() {
	local path
	require_tool FAIL busybox busybox-static "rootfs/fetch.sh builds the rootfs from it" || return
	path=$(command -v busybox)
	if [[ $(LC_ALL=C ldd "$path" 2>&1) =~ not\ a\ dynamic\ executable|statically\ linked ]]; then
		ok "busybox ($path, static)"
	else
		report FAIL busybox "$path is dynamically linked" "$(install_fix busybox-static)"
	fi
}

check_rootfs() {
	if [[ -x $ROOTFS/bin/busybox ]]; then
		ok "rootfs at $ROOTFS"
	else
		report WARN "rootfs" "none at $ROOTFS" "make -C $REPO rootfs"
	fi
}

# ---- main: the table of contents ----------------------------------------------

main() {
	check_root
	check_userns
	check_cgroups
	check_tun
	check_tool FAIL slirp4netns slirp4netns "07-network and final/ need it" --version
	check_tool WARN pasta passt "final/ --network pasta needs it" --version
	check_idmap_helper newuidmap
	check_idmap_helper newgidmap
	check_subids "$SUBUID" uid
	check_subids "$SUBGID" gid
	check_tool FAIL cc gcc "every step is C" --version
	check_tool FAIL make make "the build" --version
	check_tool FAIL pkg-config pkg-config "final/ finds its libraries with it" --version
	check_pkgconfig libcap libcap-dev
	check_pkgconfig libseccomp libseccomp-dev
	check_pkgconfig json-c libjson-c-dev
	check_tool FAIL bats bats "make test" --version
	check_busybox
	check_rootfs

	local warnings="$WARNS warning"
	((WARNS == 1)) || warnings+=s
	if ((FAILS)); then
		echo "doctor: $FAILS failed, $warnings"
		return 1
	fi
	echo "doctor: ready ($warnings)"
}

main "$@"
