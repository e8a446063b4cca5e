#!/usr/bin/env bash
# rootfs/fetch.sh - make the busybox root filesystem the steps run in.
#
#   rootfs/fetch.sh [--force] [DEST]
#       Offline (the default): build DEST from this host's static busybox.
#   rootfs/fetch.sh --pull [IMAGE] [--force] [DEST]
#       Download IMAGE (docker.io/library/busybox:latest) through the registry
#       HTTP API v2, verify every blob's sha256 and unpack its layers into DEST.
#
# DEST defaults to rootfs/busybox in the repository, whatever the current
# directory. Both modes work as an ordinary user. The rootfs is built in a
# temporary directory next to DEST (same filesystem) and renamed into place
# only when it is complete, so a failure never leaves half a rootfs behind.
#
# What happens, in order:
#   1. parse the command line; stop early when DEST is already complete
#   2. make DEST.tmp.XXXXXX next to DEST (removed on every exit path)
#   3. offline: copy busybox, link its applets, write a minimal /etc
#      --pull:  token -> manifest (list) -> config -> layers, each verified,
#               layers unpacked in order, whiteouts honoured
#   4. rename the finished tree to DEST
set -euo pipefail
# The rootfs is read by other users too (the test account, a container's
# mapped uids): its modes should not depend on the caller's umask.
umask 022

PROG=fetch.sh
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEFAULT_IMAGE=docker.io/library/busybox:latest
BUSYBOX=${MVRC_BUSYBOX:-/bin/busybox}

# The media types we can read, most specific first (see the OCI image spec
# and Docker's "Image Manifest V2, Schema 2").
MT_OCI_INDEX=application/vnd.oci.image.index.v1+json
MT_DOCKER_LIST=application/vnd.docker.distribution.manifest.list.v2+json
MT_OCI_MANIFEST=application/vnd.oci.image.manifest.v1+json
MT_DOCKER_MANIFEST=application/vnd.docker.distribution.manifest.v2+json

usage() {
	cat <<EOF
usage: rootfs/fetch.sh [--force] [DEST]
       rootfs/fetch.sh --pull [IMAGE] [--force] [--insecure] [DEST]

Make a busybox root filesystem in DEST (default: $REPO/rootfs/busybox).

  (no option)     build it offline from this host's static busybox
                  ($BUSYBOX, Debian/Ubuntu package busybox-static)
  --pull [IMAGE]  download IMAGE through the registry HTTP API instead
                  (default $DEFAULT_IMAGE); IMAGE is
                  [REGISTRY/]NAME[:TAG|@sha256:DIGEST]: the word right after
                  --pull unless it starts with '-' (so write
                  "fetch.sh DEST --pull" for the default image into DEST)
  --force         replace DEST even when it is already complete
  --insecure      talk plain http to the registry (automatic for localhost,
                  127.0.0.1 and ::1; also MVRC_REGISTRY_INSECURE=1)
  -h, --help      show this help

Needs bash, coreutils and tar; --pull also needs curl and jq.
EOF
}

# die WHAT WHY: print "fetch.sh: WHAT: WHY" and exit 1 (the EXIT trap cleans up).
die() {
	printf '%s: %s: %s\n' "$PROG" "$1" "$2" >&2
	exit 1
}

# usage_error WHAT WHY: like die, for a bad command line (exit 2).
usage_error() {
	printf '%s: %s: %s (see %s --help)\n' "$PROG" "$1" "$2" "$PROG" >&2
	exit 2
}

# say MSG: progress for a person watching; silent unless stderr is a terminal.
say() {
	if [[ -t 2 ]]; then printf '%s: %s\n' "$PROG" "$*" >&2; fi
}

# ---------------------------------------------------------------------------
# Temporary directory and the final rename
# ---------------------------------------------------------------------------

WORK=""   # DEST.tmp.XXXXXX: holds root/ (the tree being built) and blobs/
OLD=""    # the previous DEST while --force swaps it out

# Tar may restore directories without the write bit (a layer's dr-xr-xr-x
# /proc); as an ordinary user we must give it back before we can delete.
remove_tree() {
	[[ -e $1 || -L $1 ]] || return 0
	chmod -R u+rwX -- "$1" 2>/dev/null || true
	rm -rf -- "$1"
}

cleanup() {
	if [[ -n $WORK ]]; then remove_tree "$WORK"; fi
	if [[ -n $OLD ]]; then remove_tree "$OLD"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# rootfs_complete DIR: true when DIR holds a usable rootfs: a shell to run
# and a passwd file. The rename at the end is atomic, so a DEST made by this
# script is either complete or absent.
rootfs_complete() {
	[[ -x $1/bin/sh && -f $1/etc/passwd ]]
}

# make_workdir DEST: create DEST.tmp.XXXXXX next to DEST, so that the final
# rename(2) stays on one filesystem and is atomic.
make_workdir() {
	local dest=$1 parent err
	parent=$(dirname -- "$dest")
	if [[ ! -d $parent ]]; then
		err=$(mkdir -p -- "$parent" 2>&1) ||
			die "$dest" "cannot create ${parent}: ${err##*: }"
	fi
	if [[ ! -w $parent || ! -x $parent ]]; then
		die "$dest" "$parent is not writable by $(id -un)"
	fi
	err=$(mktemp -d -- "$dest.tmp.XXXXXX" 2>&1) ||
		die "$dest" "cannot create a temporary directory: ${err##*: }"
	WORK=$err
	mkdir -- "$WORK/root" "$WORK/blobs"
}

# install_rootfs DEST: move WORK/root into place as DEST. With --force the
# old DEST is first renamed aside, then removed once the new one is there.
install_rootfs() {
	local dest=$1
	if [[ -e $dest || -L $dest ]]; then
		OLD=$(mktemp -d -- "$dest.tmp.XXXXXX")
		mv -T -- "$dest" "$OLD/old" || die "$dest" "cannot move the old rootfs aside"
	fi
	mv -T -- "$WORK/root" "$dest" || die "$dest" "cannot rename the new rootfs into place"
}

# ---------------------------------------------------------------------------
# Offline: a rootfs from the host's static busybox
# ---------------------------------------------------------------------------

# is_static_elf FILE: true when FILE is an ELF executable without a program
# interpreter (PT_INTERP, type 3) - a dynamically linked busybox cannot run
# inside a rootfs that has no C library. Reads the ELF header with od only.
is_static_elf() {
	local f=$1 class endian phoff phentsize phnum i type
	[[ $(od -An -c -N4 -- "$f" | tr -d ' ') == '177ELF' ]] || return 1
	class=$(od -An -tu1 -j4 -N1 -- "$f" | tr -d ' ')
	case $(od -An -tu1 -j5 -N1 -- "$f" | tr -d ' ') in
	1) endian=little ;;
	2) endian=big ;;
	*) return 1 ;;
	esac
	if [[ $class == 2 ]]; then # ELF64: e_phoff at 0x20, sizes at 0x36
		phoff=$(od -An -tu8 --endian=$endian -j32 -N8 -- "$f" | tr -d ' ')
		phentsize=$(od -An -tu2 --endian=$endian -j54 -N2 -- "$f" | tr -d ' ')
		phnum=$(od -An -tu2 --endian=$endian -j56 -N2 -- "$f" | tr -d ' ')
	else # ELF32: e_phoff at 0x1c, sizes at 0x2a
		phoff=$(od -An -tu4 --endian=$endian -j28 -N4 -- "$f" | tr -d ' ')
		phentsize=$(od -An -tu2 --endian=$endian -j42 -N2 -- "$f" | tr -d ' ')
		phnum=$(od -An -tu2 --endian=$endian -j44 -N2 -- "$f" | tr -d ' ')
	fi
	for ((i = 0; i < phnum; i++)); do
		type=$(od -An -tu4 --endian=$endian -j$((phoff + i * phentsize)) -N4 -- "$f" | tr -d ' ')
		[[ $type == 3 ]] && return 1
	done
	return 0
}

# write_etc ROOT VERSION: the few files programs expect to find in /etc.
write_etc() {
	local root=$1 version=$2
	cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
user:x:1000:1000:user:/home/user:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
	cat >"$root/etc/group" <<'EOF'
root:x:0:
user:x:1000:
nogroup:x:65534:
EOF
	cat >"$root/etc/hosts" <<'EOF'
127.0.0.1	localhost container
::1	localhost ip6-localhost ip6-loopback
EOF
	# 10.0.2.3 is the DNS forwarder slirp4netns offers (step 07).
	cat >"$root/etc/resolv.conf" <<'EOF'
nameserver 10.0.2.3
EOF
	echo container >"$root/etc/hostname"
	cat >"$root/etc/os-release" <<EOF
NAME="mvrc busybox"
ID=mvrc-busybox
VERSION_ID=$version
PRETTY_NAME="mvrc busybox rootfs (BusyBox $version)"
HOME_URL="https://busybox.net/"
EOF
}

# build_offline ROOT: busybox, one relative symlink per applet in bin/, the
# usual top-level directories and /etc.
build_offline() {
	local root=$1 applet version n=0
	[[ -x $BUSYBOX ]] ||
		die "$BUSYBOX" "not found (install it: apt-get install busybox-static)"
	is_static_elf "$BUSYBOX" ||
		die "$BUSYBOX" "dynamically linked; a rootfs without libc needs the static one (apt-get install busybox-static)"
	mkdir -p -- "$root"/{bin,dev,etc,home/user,proc,root,run,sys,tmp,usr,var/tmp}
	chmod 1777 -- "$root/tmp" "$root/var/tmp"
	chmod 0700 -- "$root/root"
	cp -- "$BUSYBOX" "$root/bin/busybox"
	chmod 0755 -- "$root/bin/busybox"
	# Relative links keep working wherever the rootfs is, inside or outside
	# the chroot.
	while read -r applet; do
		[[ $applet == busybox || $applet == */* || -z $applet ]] && continue
		ln -s busybox "$root/bin/$applet"
		n=$((n + 1))
	done < <("$BUSYBOX" --list)
	((n > 0)) || die "$BUSYBOX" "--list printed no applets"
	version=$("$BUSYBOX" --help 2>&1 | sed -n '1s/^BusyBox v\([^ ]*\).*/\1/p') || version=""
	write_etc "$root" "${version:-unknown}"
	SUMMARY="busybox ${version:-unknown} with $n applets"
}

# ---------------------------------------------------------------------------
# --pull: the registry HTTP API v2
# ---------------------------------------------------------------------------

REG_HOST="" # what the user wrote (docker.io, 127.0.0.1:5000)
API_HOST="" # where the API lives (registry-1.docker.io for docker.io)
REPO_NAME="" # library/busybox
REF=""       # a tag or sha256:...
SCHEME=https
TOKEN=""
INSECURE=${MVRC_REGISTRY_INSECURE:-0}

# parse_image IMAGE: split [REGISTRY/]NAME[:TAG|@DIGEST] the way docker
# does: the first component is a registry when it has a '.' or a ':' or is
# "localhost"; docker.io's one-word names live under library/.
parse_image() {
	local image=$1 rest first
	rest=$image
	first=${rest%%/*}
	if [[ $rest == */* && ($first == *.* || $first == *:* || $first == localhost) ]]; then
		REG_HOST=$first
		rest=${rest#*/}
	else
		REG_HOST=docker.io
	fi
	if [[ $rest == *@* ]]; then
		REF=${rest#*@}
		rest=${rest%%@*}
		rest=${rest%%:*} # name:tag@digest - the digest wins
		[[ $REF =~ ^sha256:[0-9a-f]{64}$ ]] ||
			usage_error "$image" "only sha256 digests are supported"
	elif [[ ${rest##*/} == *:* ]]; then
		REF=${rest##*:}
		rest=${rest%:*}
	else
		REF=latest
	fi
	[[ $rest =~ ^[a-z0-9]+([._/-][a-z0-9]+|__[a-z0-9]+)*$ ]] ||
		usage_error "$image" "not an image name"
	[[ $REF =~ ^sha256:|^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] ||
		usage_error "$image" "not a valid tag"
	case $REG_HOST in
	docker.io | index.docker.io | registry-1.docker.io)
		REG_HOST=docker.io
		API_HOST=registry-1.docker.io
		[[ $rest == */* ]] || rest=library/$rest
		;;
	*) API_HOST=$REG_HOST ;;
	esac
	REPO_NAME=$rest
	# Docker and Podman speak plain http to a registry on the loopback.
	case $API_HOST in
	localhost | localhost:* | 127.* | '[::1]' | '[::1]:'*) SCHEME=http ;;
	esac
	if [[ $INSECURE == 1 ]]; then SCHEME=http; fi
}

# image_label REF: the image as a person writes it, REGISTRY/NAME:TAG or
# REGISTRY/NAME@DIGEST.
image_label() {
	if [[ $1 == sha256:* ]]; then
		echo "$REG_HOST/$REPO_NAME@$1"
	else
		echo "$REG_HOST/$REPO_NAME:$1"
	fi
}

# host_platform: this machine as OCI names it: "arm64 v8", "amd64 ".
host_platform() {
	case $(uname -m) in
	x86_64) echo "amd64 " ;;
	aarch64 | arm64) echo "arm64 v8" ;;
	armv7*) echo "arm v7" ;;
	armv6*) echo "arm v6" ;;
	armv5*) echo "arm v5" ;;
	i?86) echo "386 " ;;
	ppc64le) echo "ppc64le " ;;
	s390x) echo "s390x " ;;
	riscv64) echo "riscv64 " ;;
	mips64) echo "mips64le " ;;
	loongarch64) echo "loong64 " ;;
	*) uname -m ;;
	esac
}

# http_get URL OUT [HEADER...]: GET URL into OUT, following redirects (blobs
# often live on a CDN; curl drops our Authorization header when a redirect
# leaves the host). Sets HTTP_STATUS; dies when the server cannot be reached.
# Response headers are left in OUT.headers.
HTTP_STATUS=""
http_get() {
	local url=$1 out=$2 h rc=0 result
	shift 2
	local args=(-L --connect-timeout 10 --retry 2 -o "$out" -D "$out.headers"
		-w '%{http_code}\n%{errormsg}')
	if [[ -n $TOKEN ]]; then args+=(-H "Authorization: Bearer $TOKEN"); fi
	for h in "$@"; do args+=(-H "$h"); done
	if [[ ${SHOW_PROGRESS:-0} == 1 && -t 2 ]]; then
		result=$(curl --progress-bar "${args[@]}" -- "$url") || rc=$?
	else
		result=$(curl -s "${args[@]}" -- "$url") || rc=$?
	fi
	HTTP_STATUS=${result%%$'\n'*}
	if ((rc != 0)); then
		die "$SCHEME://$API_HOST" "cannot reach the registry: ${result#*$'\n'}"
	fi
}

# header OUT NAME: the value of response header NAME of the last response.
header() {
	awk -v want="$2" '
		BEGIN { want = tolower(want) }
		/^HTTP\// { delete h; next }
		{ sub(/\r$/, ""); i = index($0, ":"); if (i == 0) next
		  k = tolower(substr($0, 1, i - 1)); v = substr($0, i + 1); sub(/^[ \t]+/, "", v); h[k] = v }
		END { if (want in h) print h[want] }' "$1.headers"
}

# get_token OUT: answer a 401 - read the Bearer challenge (realm, service,
# scope) from WWW-Authenticate, ask the realm for an anonymous token.
# See https://distribution.github.io/distribution/spec/auth/token/
get_token() {
	local out=$1 challenge realm="" service="" scope="" key val
	challenge=$(header "$out" WWW-Authenticate)
	[[ $challenge =~ ^[Bb]earer[[:space:]]+(.*)$ ]] ||
		die "$REG_HOST" "registry wants authentication we cannot do: ${challenge:-no WWW-Authenticate header}"
	challenge=${BASH_REMATCH[1]}
	while [[ $challenge =~ ^[[:space:],]*([A-Za-z_]+)=\"([^\"]*)\"(.*)$ ]]; do
		key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]} challenge=${BASH_REMATCH[3]}
		case $key in
		realm) realm=$val ;;
		service) service=$val ;;
		scope) scope=$val ;;
		esac
	done
	[[ -n $realm ]] || die "$REG_HOST" "Bearer challenge without a realm"
	[[ -n $scope ]] || scope="repository:$REPO_NAME:pull"
	local args=(-sS -G --connect-timeout 10 -o "$WORK/token.json" -w '%{http_code}'
		--data-urlencode "scope=$scope")
	if [[ -n $service ]]; then args+=(--data-urlencode "service=$service"); fi
	local status rc=0
	status=$(curl "${args[@]}" -- "$realm" 2>"$WORK/token.err") || rc=$?
	((rc == 0)) ||
		die "$realm" "cannot get a token: $(sed -n '$s/^curl: ([0-9]*) //p' "$WORK/token.err")"
	[[ $status == 200 ]] || die "$realm" "token server answered HTTP $status"
	TOKEN=$(jq -r '.token // .access_token // empty' "$WORK/token.json" 2>/dev/null) || TOKEN=""
	[[ -n $TOKEN ]] || die "$realm" "token server sent no token"
}

# registry_error OUT: the registry's own explanation, from its JSON body.
registry_error() {
	jq -r '[.errors[]? | "\(.code): \(.message)"] | join("; ")' "$1" 2>/dev/null || true
}

# fetch PATH OUT WHAT [HEADER...]: GET $SCHEME://API_HOST/v2/NAME/PATH into
# OUT, with a token when the registry asks for one.
fetch() {
	local path=$1 out=$2 what=$3 status why
	shift 3
	local url="$SCHEME://$API_HOST/v2/$REPO_NAME/$path"
	http_get "$url" "$out" "$@"
	if [[ $HTTP_STATUS == 401 ]]; then
		get_token "$out"
		http_get "$url" "$out" "$@"
	fi
	status=$HTTP_STATUS
	if [[ $status != 200 ]]; then
		why=$(registry_error "$out")
		case $status in
		404) die "$what" "not found in $REG_HOST (HTTP 404${why:+, $why})" ;;
		401 | 403) die "$what" "access denied by $REG_HOST (HTTP $status${why:+, $why})" ;;
		000) die "$what" "no HTTP answer from $API_HOST (plain http to a TLS port? try without --insecure)" ;;
		*) die "$what" "$REG_HOST answered HTTP $status${why:+ ($why)}" ;;
		esac
	fi
}

# verify FILE DIGEST WHAT: refuse FILE unless its sha256 is DIGEST.
verify() {
	local file=$1 digest=$2 what=$3 got
	[[ $digest =~ ^sha256:[0-9a-f]{64}$ ]] ||
		die "$what" "unsupported digest ${digest:-(none)} (only sha256)"
	got=sha256:$(sha256sum -- "$file" | cut -d' ' -f1)
	[[ $got == "$digest" ]] ||
		die "$what" "digest mismatch: expected $digest, got $got"
}

# fetch_manifest REF OUT: GET a manifest or index by tag or digest; verify it
# when REF is a digest (a tag's manifest is checked against the digest the
# registry announces, when it does). Sets MEDIA_TYPE.
MEDIA_TYPE=""
fetch_manifest() {
	local ref=$1 out=$2 mt announced
	fetch "manifests/$ref" "$out" "$(image_label "$ref")" \
		"Accept: $MT_OCI_INDEX, $MT_DOCKER_LIST, $MT_OCI_MANIFEST, $MT_DOCKER_MANIFEST"
	if [[ $ref == sha256:* ]]; then
		verify "$out" "$ref" "manifest $ref"
	else
		announced=$(header "$out" Docker-Content-Digest)
		if [[ $announced == sha256:* ]]; then verify "$out" "$announced" "manifest $REPO_NAME:$ref"; fi
	fi
	jq -e . "$out" >/dev/null 2>&1 || die "manifest $ref" "not JSON"
	mt=$(header "$out" Content-Type)
	mt=${mt%%;*}
	case $mt in
	"$MT_OCI_INDEX" | "$MT_DOCKER_LIST" | "$MT_OCI_MANIFEST" | "$MT_DOCKER_MANIFEST") ;;
	*) # Content-Type is vague: look at the document itself.
		mt=$(jq -r 'if .mediaType then .mediaType
			elif .manifests then "'"$MT_OCI_INDEX"'"
			elif .layers then "'"$MT_OCI_MANIFEST"'" else "" end' "$out")
		;;
	esac
	MEDIA_TYPE=$mt
}

# pick_platform INDEX: the digest of this host's linux image in an index
# (manifest list); dies listing what the index offers when nothing matches.
pick_platform() {
	local index=$1 arch variant digest
	read -r arch variant < <(host_platform)
	digest=$(jq -r --arg arch "$arch" --arg variant "${variant:-}" '
		[.manifests[] | select(.platform.os == "linux" and .platform.architecture == $arch)]
		| (map(select(($variant == "") or ((.platform.variant // "") == $variant))) | first)
		  // (map(select((.platform.variant // "") == "")) | first)
		| .digest // empty' "$index")
	if [[ -z $digest ]]; then
		die "$(image_label "$REF")" "no linux/$arch${variant:+/$variant} image (it has: $(jq -r '
			[.manifests[] | .platform | select(.) | "\(.os)/\(.architecture)\(if .variant then "/" + .variant else "" end)"]
			| join(", ")' "$index"))"
	fi
	echo "$digest"
}

# fetch_blob DIGEST OUT WHAT: download a blob and verify it before anyone
# reads it.
fetch_blob() {
	local digest=$1 out=$2 what=$3
	fetch "blobs/$digest" "$out" "$what"
	verify "$out" "$digest" "$what"
}

# list_layer LAYER: one line per member, "TYPE NAME" (TYPE is tar's first
# column letter: - d l h c b p), names in tar's escape quoting, without the
# target of a link.
list_layer() {
	LC_ALL=C tar --quoting-style=escape --numeric-owner -tvf "$1" |
		sed -n -E 's/^(.)[^ ]* +[^ ]+ +[^ ]+ +[0-9]{4}-[0-9]{2}-[0-9]{2} +[0-9]{2}:[0-9]{2}(:[0-9]{2})? (.*)$/\1 \3/p' |
		sed -E 's/^(l .*) -> .*$/\1/; s/^(h .*) link to .*$/\1/'
}

# inside ROOT PATH: true when PATH (relative to ROOT) resolves inside ROOT
# without crossing a symlink, so a whiteout can never delete outside.
inside() {
	local root=$1 rel=$2 real want
	real=$(realpath -m -- "$root/$rel") || return 1
	want=$(realpath -- "$root")
	rel=${rel%/}
	if [[ $rel != . ]]; then want=$want/$rel; fi
	[[ $real == "$want" ]]
}

# check_parents ROOT LISTING N: refuse a layer that would write through a
# symlink leading out of ROOT. Tar itself guards against links made by the
# same archive, but follows the ones a lower layer left on disk: a layer with
# "etc -> /" below and "etc/passwd" above would write the host's file.
check_parents() {
	local root=$1 listing=$2 n=$3 real dir
	real=$(realpath -- "$root")
	sed -E 's/^. //; s,^\./,,; s,^/+,,; s,/*[^/]*/?$,,' "$listing" | sort -u |
		while IFS= read -r dir; do printf '%s\0' "$root/$dir"; done |
		xargs -0r realpath -m -- |
		while IFS= read -r dir; do
			[[ $dir == "$real" || $dir == "$real"/* ]] ||
				die "layer $n" "a path resolves outside the rootfs, to $dir"
		done
}

# apply_whiteouts ROOT LISTING: before a layer is unpacked, delete what its
# whiteouts hide in the layers below: ".wh.NAME" removes NAME,
# ".wh..wh..opq" empties its directory (OCI image spec, layer.md).
apply_whiteouts() {
	local root=$1 listing=$2 type name dir base
	while read -r type name; do
		[[ $type == - ]] || continue
		name=${name#./}
		name=${name#/}
		base=${name##*/}
		[[ $base == .wh.* ]] || continue
		if [[ $name == */* ]]; then dir=${name%/*}; else dir=.; fi
		if [[ $base == .wh..wh..opq ]]; then
			inside "$root" "$dir" || die "$name" "whiteout outside the rootfs"
			if [[ -d $root/$dir ]]; then
				find "$root/$dir" -mindepth 1 -maxdepth 1 -exec chmod -R u+rwX {} + \
					-exec rm -rf {} + 2>/dev/null || true
			fi
		else
			base=${base#.wh.}
			[[ -n $base && $base != . && $base != .. ]] || die "$name" "bad whiteout"
			inside "$root" "$dir/$base" || die "$name" "whiteout outside the rootfs"
			remove_tree "$root/$dir/$base"
		fi
	done <"$listing"
}

# unpack_layer ROOT LAYER N: apply one layer on top of ROOT. As an ordinary
# user we cannot own files as root (--no-same-owner) nor make device nodes
# (skipped: a rootless container bind-mounts or skips /dev anyway).
unpack_layer() {
	local root=$1 layer=$2 n=$3 type name
	local listing="$WORK/layer$n.list" err
	# Whiteout files match by base name anywhere; device nodes by exact name.
	local excludes=(--wildcards --no-anchored --exclude='.wh.*' --anchored --no-wildcards)
	list_layer "$layer" >"$listing" || die "layer $n" "not a tar archive tar can read"
	while read -r type name; do
		case $type in b | c | p) excludes+=(--exclude="$name") ;; esac
	done <"$listing"
	apply_whiteouts "$root" "$listing"
	check_parents "$root" "$listing" "$n" || exit 1
	# A directory a lower layer made read-only would stop this layer from
	# writing into it; an ordinary user must open it up first.
	if ((EUID != 0)); then find "$root" -type d ! -perm -u+w -exec chmod u+w {} + 2>/dev/null || true; fi
	err=$(LC_ALL=C tar -xpf "$layer" -C "$root" --no-same-owner "${excludes[@]}" 2>&1) ||
		die "layer $n" "cannot unpack: $(tail -n1 <<<"$err")"
}

# pull IMAGE ROOT: everything --pull does, into ROOT.
pull() {
	local image=$1 root=$2 mt digest config n=0 count layers
	command -v curl >/dev/null || die curl "not found (apt-get install curl)"
	command -v jq >/dev/null || die jq "not found (apt-get install jq)"
	parse_image "$image"
	say "pulling $(image_label "$REF") from $SCHEME://$API_HOST"
	fetch_manifest "$REF" "$WORK/manifest.json"
	if [[ $MEDIA_TYPE == "$MT_OCI_INDEX" || $MEDIA_TYPE == "$MT_DOCKER_LIST" ]]; then
		mv -- "$WORK/manifest.json" "$WORK/index.json"
		digest=$(pick_platform "$WORK/index.json")
		say "this host is linux/$(host_platform | tr ' ' '/' | sed 's,/$,,'): manifest $digest"
		fetch_manifest "$digest" "$WORK/manifest.json"
	fi
	mt=$MEDIA_TYPE
	case $mt in
	"$MT_OCI_MANIFEST" | "$MT_DOCKER_MANIFEST") ;;
	*) die "$(image_label "$REF")" "unsupported manifest type ${mt:-(none)}" ;;
	esac
	config=$(jq -r '.config.digest // empty' "$WORK/manifest.json")
	fetch_blob "$config" "$WORK/blobs/config.json" "config $config"
	[[ $(jq -r '.os // "linux"' "$WORK/blobs/config.json") == linux ]] ||
		die "config $config" "not a linux image"
	count=$(jq '.layers | length' "$WORK/manifest.json")
	((count > 0)) || die "$(image_label "$REF")" "image has no layers"
	layers=$(jq -r '.layers[] | "\(.digest) \(.size // 0) \(.mediaType // "")"' "$WORK/manifest.json")
	while read -r digest size mt; do
		n=$((n + 1))
		case $mt in
		*zstd) command -v zstd >/dev/null || die "layer $n" "zstd-compressed and zstd is not installed" ;;
		*nondistributable* | *foreign*) die "layer $n" "foreign layer ($mt) is not served by the registry" ;;
		esac
		say "layer $n/$count $digest ($(numfmt --to=iec --suffix=B -- "$size" 2>/dev/null || echo "$size bytes"))"
		SHOW_PROGRESS=1 fetch_blob "$digest" "$WORK/blobs/layer$n" "layer $n ($digest)"
		unpack_layer "$root" "$WORK/blobs/layer$n" "$n"
		rm -f -- "$WORK/blobs/layer$n"
	done <<<"$layers"
	# The official image has no /etc/hostname or resolv.conf: the runtime
	# provides them. Ours do not bind-mount them, so give sensible defaults.
	[[ -e $root/etc/resolv.conf ]] || echo "nameserver 10.0.2.3" >"$root/etc/resolv.conf"
	[[ -e $root/etc/hostname ]] || echo container >"$root/etc/hostname"
	mkdir -p -- "$root"/{proc,sys,dev,tmp}
	rootfs_complete "$root" || die "$image" "image has no /bin/sh or /etc/passwd"
	SUMMARY="$(image_label "$REF"), $n layer$( ((n == 1)) || echo s)"
}

# ---------------------------------------------------------------------------

main() {
	local mode=offline image=$DEFAULT_IMAGE force=0 dest=""
	while (($#)); do
		case $1 in
		-h | --help) usage; exit 0 ;;
		--force) force=1 ;;
		--insecure) INSECURE=1 ;;
		--pull=*) mode=pull image=${1#--pull=} ;;
		--pull)
			mode=pull
			if (($# > 1)) && [[ $2 != -* ]]; then
				image=$2
				shift
			fi
			;;
		--) shift; break ;;
		-*) usage_error "$1" "unknown option" ;;
		*)
			[[ -z $dest ]] || usage_error "$1" "one destination only (already: $dest)"
			dest=$1
			;;
		esac
		shift
	done
	if (($#)); then
		[[ -z $dest && $# == 1 ]] || usage_error "$*" "one destination only"
		dest=$1
	fi
	[[ -n $image ]] || usage_error --pull "empty image name"
	dest=${dest:-$REPO/rootfs/busybox}
	dest=${dest%/}

	if [[ -e $dest || -L $dest ]] && ((force == 0)); then
		if rootfs_complete "$dest"; then
			echo "$dest: already complete (use --force to rebuild)"
			exit 0
		fi
		if [[ ! -d $dest || -n $(ls -A -- "$dest" 2>/dev/null) ]]; then
			die "$dest" "exists but is not a complete rootfs (use --force to replace it)"
		fi
	fi
	make_workdir "$dest"
	SUMMARY=""
	if [[ $mode == offline ]]; then
		build_offline "$WORK/root"
	else
		pull "$image" "$WORK/root"
	fi
	install_rootfs "$dest"
	echo "$dest: $SUMMARY"
}

main "$@"
