# A container registry on the loopback for tests/rootfs.bats: Debian's
# docker-registry (the reference implementation, "distribution"), an optional
# bearer-token server in python3, and OCI images built with sh + jq +
# sha256sum, pushed with skopeo. Nothing here touches the internet.
#
# Everything lives under $REG_TMP (set it before calling anything); servers
# write their pid to $REG_TMP/*.pid so registry_stop_all can end them.

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# http_answers URL: true once something answers HTTP at URL (any status).
http_answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1") || return 1
  [[ $code != 000 ]]
}

# start_bg NAME CMD...: run CMD in the background with its output in
# $REG_TMP/NAME.log; bats waits for open descriptors, so close them all.
start_bg() {
  local name=$1
  shift
  "$@" >"$REG_TMP/$name.log" 2>&1 </dev/null 3>&- &
  echo $! >"$REG_TMP/$name.pid"
}

# registry_start NAME PORT STORAGE [REALM SERVICE ISSUER CERT]: docker-registry
# serving STORAGE on 127.0.0.1:PORT; with the last four, it demands bearer
# tokens signed by CERT's key (the "token" auth of distribution).
registry_start() {
  local name=$1 port=$2 storage=$3 cfg=$REG_TMP/$1.yml
  cat >"$cfg" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: mvrc-test-not-secret
EOF
  if (($# > 3)); then
    cat >>"$cfg" <<EOF
auth:
  token:
    realm: $4
    service: $5
    issuer: $6
    rootcertbundle: $7
EOF
  fi
  mkdir -p "$storage"
  start_bg "$name" docker-registry serve "$cfg"
  poll_until 10 http_answers "http://127.0.0.1:$port/v2/" || {
    cat "$REG_TMP/$name.log" >&2
    return 1
  }
}

# token_server_start PORT KEY CERT ISSUER: a minimal token endpoint (GET
# /token?service=&scope=) that grants every scope it is asked for, signing an
# RS256 JWT with KEY (via openssl) and carrying CERT in its x5c header, as
# the distribution token spec describes. Each request is logged to
# $REG_TMP/token.requests.
token_server_start() {
  cat >"$REG_TMP/token_server.py" <<'EOF'
import base64, http.server, json, os, subprocess, sys, time, urllib.parse

port, key, cert, issuer, log = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                     capture_output=True, check=True).stdout

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        query = urllib.parse.parse_qs(url.query)
        if url.path != "/token":
            self.send_error(404)
            return
        access = []
        for scope in query.get("scope", []):
            for one in scope.split(" "):
                kind, rest = one.split(":", 1)
                name, actions = rest.rsplit(":", 1)
                access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        claims = {"iss": issuer, "sub": "", "aud": query.get("service", [""])[0],
                  "exp": now + 300, "nbf": now - 10, "iat": now,
                  "jti": os.urandom(8).hex(), "access": access}
        header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
        signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key],
                                   input=signing_input.encode(), capture_output=True,
                                   check=True).stdout
        token = signing_input + "." + b64url(signature)
        body = json.dumps({"token": token, "expires_in": 300}).encode()
        with open(log, "a") as f:
            f.write("service=%s scope=%s\n" % (query.get("service", [""])[0],
                                               " ".join(query.get("scope", []))))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
EOF
  : >"$REG_TMP/token.requests"
  start_bg token python3 "$REG_TMP/token_server.py" "$1" "$2" "$3" "$4" "$REG_TMP/token.requests"
  poll_until 10 http_answers "http://127.0.0.1:$1/" || {
    cat "$REG_TMP/token.log" >&2
    return 1
  }
}

# registry_stop_all: end every server this helper started.
registry_stop_all() {
  local pidfile pid
  for pidfile in "$REG_TMP"/*.pid; do
    [[ -e $pidfile ]] || continue
    pid=$(<"$pidfile")
    kill "$pid" 2>/dev/null || true
    poll_until 5 eval "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

# --- OCI image layouts (image-spec: image-layout.md, manifest.md) ----------

# oci_blob LAYOUT FILE: store FILE as a content-addressed blob of LAYOUT;
# print "sha256:HEX SIZE".
oci_blob() {
  local layout=$1 file=$2 hex
  hex=$(sha256sum "$file" | cut -d' ' -f1)
  mkdir -p "$layout/blobs/sha256"
  mv "$file" "$layout/blobs/sha256/$hex"
  echo "sha256:$hex $(stat -c %s "$layout/blobs/sha256/$hex")"
}

# oci_manifest LAYOUT ARCH TAR...: an image of ARCH whose layers are the given
# uncompressed tarballs (gzipped here, bottom first); print the manifest's
# "sha256:HEX SIZE".
oci_manifest() {
  local layout=$1 arch=$2 tar digest size diff_ids=() layers=() cfg
  shift 2
  for tar in "$@"; do
    diff_ids+=("sha256:$(sha256sum "$tar" | cut -d' ' -f1)")
    gzip -n -c "$tar" >"$layout/layer.tmp"
    read -r digest size < <(oci_blob "$layout" "$layout/layer.tmp")
    layers+=("$(jq -nc --arg d "$digest" --argjson s "$size" \
      '{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $d, size: $s}')")
  done
  jq -nc --arg arch "$arch" '{architecture: $arch, os: "linux",
      config: {Cmd: ["sh"]}, rootfs: {type: "layers", diff_ids: $ARGS.positional}}' \
    --args "${diff_ids[@]}" >"$layout/config.tmp"
  read -r digest size < <(oci_blob "$layout" "$layout/config.tmp")
  cfg=$(jq -nc --arg d "$digest" --argjson s "$size" \
    '{mediaType: "application/vnd.oci.image.config.v1+json", digest: $d, size: $s}')
  printf '%s\n' "${layers[@]}" | jq -sc --argjson cfg "$cfg" \
    '{schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: $cfg, layers: .}' >"$layout/manifest.tmp"
  oci_blob "$layout" "$layout/manifest.tmp"
}

# oci_index LAYOUT "ARCH DIGEST SIZE"...: a multi-platform image index; print
# its "sha256:HEX SIZE".
oci_index() {
  local layout=$1 entry arch digest size
  shift
  for entry in "$@"; do
    read -r arch digest size <<<"$entry"
    jq -nc --arg a "$arch" --arg d "$digest" --argjson s "$size" \
      '{mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d, size: $s,
        platform: {architecture: $a, os: "linux"}}'
  done | jq -sc '{schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: .}' >"$layout/index.tmp"
  oci_blob "$layout" "$layout/index.tmp"
}

# oci_tag LAYOUT TAG MEDIATYPE DIGEST SIZE: name a manifest or index TAG in
# the layout's index.json.
oci_tag() {
  local layout=$1 tag=$2 mt=$3 digest=$4 size=$5
  echo '{"imageLayoutVersion": "1.0.0"}' >"$layout/oci-layout"
  [[ -e $layout/index.json ]] || echo '{"schemaVersion": 2, "manifests": []}' >"$layout/index.json"
  jq --arg t "$tag" --arg mt "$mt" --arg d "$digest" --argjson s "$size" \
    '.manifests += [{mediaType: $mt, digest: $d, size: $s,
       annotations: {"org.opencontainers.image.ref.name": $t}}]' \
    "$layout/index.json" >"$layout/index.json.tmp"
  mv "$layout/index.json.tmp" "$layout/index.json"
}

# oci_push LAYOUT TAG DEST [OPTION...]: copy LAYOUT's TAG (all platforms) to
# DEST, a docker://127.0.0.1:PORT/NAME:TAG reference, over plain http; the
# options go to skopeo copy (--format v2s2: Docker's media types).
oci_push() {
  local layout=$1 tag=$2 dest=$3
  shift 3
  HOME=$REG_TMP/home skopeo --insecure-policy copy --quiet --all \
    --dest-tls-verify=false "$@" "oci:$layout:$tag" "$dest"
}

# tar_of DIR OUT: an image layer of DIR's contents, owned by root like a
# real image's ("./bin/busybox" style names).
tar_of() {
  tar -C "$1" --numeric-owner --owner=0 --group=0 -cf "$2" .
}

# host_arch: this machine in OCI's words (what fetch.sh should pick).
host_arch() {
  case $(uname -m) in
  x86_64) echo amd64 ;;
  aarch64) echo arm64 ;;
  armv*) echo arm ;;
  i?86) echo 386 ;;
  *) uname -m ;;
  esac
}
