#!/usr/bin/env bash
# bench/run.sh — mvrc side by side with bubblewrap, runc and the floor.
#
#   1. start-to-exit of /bin/true, rootless, in ONE hyperfine run:
#        mvrc run --network none ROOTFS /bin/true
#        bwrap --unshare-all --bind ROOTFS / --proc /proc --dev /dev /bin/true
#        runc run (a bundle from `runc spec --rootless` on the same ROOTFS)
#        unshare -Urpfmu --ipc --net true          (the floor: namespaces only)
#      and in a second run, mvrc with each network engine
#   2. mvrc's resident memory (VmRSS, VmHWM) while `sleep` runs inside
#   3. iperf3 throughput from the container to the host over slirp4netns and
#      over pasta, through mvrc and through the engine run by hand
#   4. mvrc as an OCI runtime, against runc, in one hyperfine run each:
#        podman --runtime mvrc|runc run --rm IMAGE /bin/true   (rootless Podman,
#          its own storage and configuration, IMAGE imported from ROOTFS)
#        create + start + delete --force of one rootless bundle
#      and the time of each of create, start and delete on its own
#
# Then it writes bench/RESULTS.md and bench/start.png. It runs as an ordinary
# user; as root it runs itself as ${MVRC_TEST_USER:-mvrc-test} (tests/run.sh
# creates that account) on a copy of the rootfs that the account owns.
#
# Environment: BENCH_RUNS (hyperfine runs per command, default 200),
# BENCH_IPERF_SECS (seconds per iperf3 test, default 5), BENCH_PODMAN_RUNS
# (runs per `podman run`, default 30).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
# Podman's private setup, shared with tests/final/podman.bats; the copy this
# script makes of itself for the test user carries it alongside.
if [[ -f $HERE/podman-env.bash ]]; then
  source "$HERE/podman-env.bash"
else
  source "$REPO/scripts/podman-env.bash"
fi
RUNS=${BENCH_RUNS:-200}
IPERF_SECS=${BENCH_IPERF_SECS:-5}
PODMAN_RUNS=${BENCH_PODMAN_RUNS:-30}
USER_NAME=${MVRC_TEST_USER:-mvrc-test}

die() {
  echo "bench/run.sh: $*" >&2
  exit 1
}

need() {
  local c
  for c; do
    command -v "$c" >/dev/null || die "needs $c: scripts/install-deps.sh bench"
  done
}

# ---- as root: hand over to the unprivileged account -------------------------

as_user() {
  id "$USER_NAME" >/dev/null 2>&1 || die "no user $USER_NAME (tests/run.sh creates it)"
  work=$(mktemp -d /tmp/mvrc-bench.XXXXXX)
  chmod 0755 "$work"
  trap 'rm -rf "$work"' EXIT
  cp "$REPO/final/mvrc" "$HERE/run.sh" "$REPO/scripts/podman-env.bash" "$work/"
  cp -a "${MVRC_ROOTFS:-$REPO/rootfs/busybox}" "$work/rootfs"
  mkdir "$work/out"
  chown -R "$USER_NAME:" "$work"
  [[ -c /dev/net/tun ]] && chmod 0666 /dev/net/tun
  setpriv --reuid="$(id -u "$USER_NAME")" --regid="$(id -g "$USER_NAME")" --clear-groups \
    env -i PATH="$PATH" HOME=/tmp USER="$USER_NAME" BENCH_RUNS="$RUNS" \
    BENCH_IPERF_SECS="$IPERF_SECS" BENCH_PODMAN_RUNS="$PODMAN_RUNS" BENCH_MVRC="$work/mvrc" BENCH_ROOTFS="$work/rootfs" \
    BENCH_OUT="$work/out" bash "$work/run.sh" --inner
  cp "$work/out/RESULTS.md" "$work/out/start.png" "$HERE/"
  echo "bench/run.sh: wrote bench/RESULTS.md and bench/start.png"
}

# ---- as the user: the measurements -----------------------------------------

# runc_bundle DIR: a rootless bundle running /bin/true on $ROOTFS.
runc_bundle() {
  mkdir -p "$1"
  (cd "$1" && runc spec --rootless)
  python3 - "$1/config.json" "$ROOTFS" <<'EOF'
import json, sys
path, rootfs = sys.argv[1], sys.argv[2]
c = json.load(open(path))
c["root"] = {"path": rootfs, "readonly": False}
c["process"]["args"] = ["/bin/true"]
c["process"]["terminal"] = False
json.dump(c, open(path, "w"), indent=1)
EOF
}

start_times() {
  local bundle=$WORK/bundle
  runc_bundle "$bundle"
  # runc deletes a container when `runc run` returns: one id serves every
  # run in turn, as a fresh id per run would.
  hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$WORK/start.json" \
    -n mvrc "$MVRC run --network none $ROOTFS /bin/true" \
    -n bwrap "bwrap --unshare-all --bind $ROOTFS / --proc /proc --dev /dev /bin/true" \
    -n runc "runc --root $WORK/runc-state run --bundle $bundle bench" \
    -n floor "unshare -Urpfmu --ipc --net true" >&2
  hyperfine -N --warmup 5 --runs $((RUNS / 4)) --export-json "$WORK/engines.json" \
    -n "mvrc --network slirp4netns" "$MVRC run --network slirp4netns $ROOTFS /bin/true" \
    -n "mvrc --network pasta" "$MVRC run --network pasta $ROOTFS /bin/true" >&2
}

# ---- mvrc as an OCI runtime, against runc ----------------------------------

IMAGE=localhost/mvrc-bench

podman_times() {
  podman_env "$WORK/podman" "$ROOTFS" "$IMAGE"
  hyperfine -N --warmup 3 --runs "$PODMAN_RUNS" --export-json "$WORK/podman.json" \
    -n "podman + mvrc" "podman --runtime $MVRC run --rm $IMAGE /bin/true" \
    -n "podman + runc" "podman --runtime runc run --rm $IMAGE /bin/true" >&2
}

# cycle RUNTIME: create, start and delete --force of the bundle, as one
# command for hyperfine; the shell alone ("sh") is measured too.
cycle() {
  local rt=$1 root=$WORK/state-${1##*/}
  echo "$rt --root $root create --bundle $WORK/bundle bench && $rt --root $root start bench && $rt --root $root delete --force bench"
}

oci_times() {
  [[ -d $WORK/bundle ]] || runc_bundle "$WORK/bundle"
  hyperfine -N --warmup 10 --runs "$RUNS" --export-json "$WORK/oci.json" \
    -n mvrc "sh -c '$(cycle "$MVRC")'" \
    -n runc "sh -c '$(cycle runc)'" \
    -n sh "sh -c '$(cycle true)'" >&2
  # Each of the three on its own, the median of 30 cycles.
  python3 - "$MVRC" "$WORK" >"$WORK/phases.txt" <<'EOF'
import statistics, subprocess, sys, time
mvrc, work = sys.argv[1], sys.argv[2]
for name, rt in (("mvrc", mvrc), ("runc", "runc")):
    root = "%s/state-%s" % (work, rt.rsplit("/", 1)[-1])
    t = {"create": [], "start": [], "delete": []}
    for _ in range(30):
        for phase, args in (("create", ["create", "--bundle", work + "/bundle", "bench"]),
                            ("start", ["start", "bench"]), ("delete", ["delete", "--force", "bench"])):
            t0 = time.perf_counter()
            subprocess.run([rt, "--root", root] + args, check=True, stdout=subprocess.DEVNULL)
            t[phase].append(time.perf_counter() - t0)
    print(name, " ".join("%.2f" % (statistics.median(v) * 1000) for v in t.values()))
EOF
}

# memory: VmRSS and VmHWM of mvrc while the container sleeps.
memory() {
  local pid i
  "$MVRC" run --network none "$ROOTFS" sleep 3 &
  pid=$!
  for i in $(seq 200); do
    pgrep -P "$pid" -x sleep >/dev/null && break
    sleep 0.01
  done
  awk '/^Vm(RSS|HWM):/ { printf "%s %s\n", $1, $2 }' "/proc/$pid/status" >"$WORK/memory.txt"
  wait "$pid"
}

# A root filesystem for iperf3: the host's /usr, read-only, and nothing else.
hostfs() {
  local r=$WORK/hostfs
  mkdir -p "$r"/{usr,proc,dev,sys,tmp,etc}
  ln -s usr/bin "$r/bin"
  ln -s usr/lib "$r/lib"
  ln -s usr/lib64 "$r/lib64"
  echo "$r"
}

# iperf_client PORT: Gbit/s received by the host from a server behind PORT
# (-R: the server sends, so the data goes from the container to the host).
iperf_client() {
  local port=$1 i
  for i in $(seq 100); do
    # Until the server listens, the engine may accept and then drop the
    # connection: retry until iperf3 reports a result.
    iperf3 -c 127.0.0.1 -p "$port" -R -t "$IPERF_SECS" -J >"$WORK/iperf.json" 2>/dev/null
    python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / 1e9))' \
      "$WORK/iperf.json" 2>/dev/null && return
    sleep 0.1
  done
  echo 0
}

# through_mvrc ENGINE PORT
through_mvrc() {
  local pid rate
  "$MVRC" run --network "$1" -p "$2:5201" -v /usr:/usr:ro "$HOSTFS" iperf3 -s -1 >/dev/null 2>&1 &
  pid=$!
  rate=$(iperf_client "$2")
  wait "$pid" || true
  echo "$rate"
}

# standalone ENGINE PORT: the engine run by hand, with the same options,
# for a namespace made by unshare, iperf3 -s inside.
standalone() {
  local engine=$1 port=$2 ns helper rate api=$WORK/api.sock
  unshare -Urn sh -c 'ip link set lo up; exec iperf3 -s -1' >/dev/null 2>&1 &
  ns=$!
  sleep 0.2
  if [[ $engine == slirp4netns ]]; then
    rm -f "$api"
    slirp4netns --configure --mtu=65520 --disable-host-loopback --api-socket "$api" \
      "$ns" tap0 >/dev/null 2>&1 &
    helper=$!
    for _ in $(seq 100); do [[ -S $api ]] && break; sleep 0.05; done
    python3 - "$api" "$port" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
s.sendall(json.dumps({"execute": "add_hostfwd", "arguments": {"proto": "tcp",
          "host_addr": "0.0.0.0", "host_port": int(sys.argv[2]), "guest_port": 5201}}).encode())
s.shutdown(socket.SHUT_WR); r = s.recv(1000)
assert b"return" in r, r
EOF
  else
    pasta -f -q --config-net --no-map-gw -T none -U none -u none -t "$port:5201" "$ns" \
      >/dev/null 2>&1 &
    helper=$!
  fi
  rate=$(iperf_client "$port")
  kill "$helper" "$ns" 2>/dev/null || true
  wait "$helper" "$ns" 2>/dev/null || true
  echo "$rate"
}

throughput() {
  local e port=25201
  HOSTFS=$(hostfs)
  : >"$WORK/net.txt"
  for e in slirp4netns pasta; do
    # Twice each, alternating, and the better run of each kept: on a busy
    # machine the worse one measures the neighbours.
    local m1 s1 m2 s2
    m1=$(through_mvrc "$e" $((port++)))
    s1=$(standalone "$e" $((port++)))
    m2=$(through_mvrc "$e" $((port++)))
    s2=$(standalone "$e" $((port++)))
    echo "$e $(printf '%s\n' "$m1" "$m2" | sort -g | tail -n1) $(printf '%s\n' "$s1" "$s2" | sort -g | tail -n1) $m1 $m2 $s1 $s2" >>"$WORK/net.txt"
  done
}

chart() {
  python3 - "$WORK/start.json" >"$WORK/start.dat" <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print('"%s" %.3f %.3f' % (r["command"], r["median"] * 1000, r["stddev"] * 1000))
EOF
  gnuplot <<EOF
set terminal pngcairo size 800,480 font "sans,11"
set output "$BENCH_OUT/start.png"
set title "Rootless start-to-exit of /bin/true (median, ms; error bar: stddev)"
set ylabel "milliseconds"
set style fill solid 0.8
set boxwidth 0.6
set yrange [0:*]
set grid ytics
unset key
plot "$WORK/start.dat" using 0:2:xtic(1) with boxes lc rgb "#4477aa", \
     "" using 0:2:3 with yerrorbars lc rgb "black" pt 0, \
     "" using 0:(\$2):(sprintf("%.1f", \$2)) with labels offset 0,1.2
EOF
}

report() {
  python3 - "$WORK" "$RUNS" "$IPERF_SECS" "$PODMAN_RUNS" >"$BENCH_OUT/RESULTS.md" <<'EOF'
import json, platform, subprocess, sys, os
work, runs, secs, pruns = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
start = {r["command"]: r for r in json.load(open(work + "/start.json"))["results"]}
eng = {r["command"]: r for r in json.load(open(work + "/engines.json"))["results"]}
mem = dict(l.split() for l in open(work + "/memory.txt"))
net = [l.split() for l in open(work + "/net.txt")]
pod = {r["command"]: r for r in json.load(open(work + "/podman.json"))["results"]}
oci = {r["command"]: r for r in json.load(open(work + "/oci.json"))["results"]}
phases = {l.split()[0]: [float(x) for x in l.split()[1:]] for l in open(work + "/phases.txt")}
ms = lambda r: r["median"] * 1000
cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
print("# bench/ results\n")
print("Written by `bench/run.sh`; run it again to refresh. Numbers from one run on a shared machine:")
print("compare the columns of one table, not tables from different days.\n")
print("## Machine\n")
print("- kernel: %s; CPU: %s, %s cores; load average when the run started: %s" %
      (platform.release(), cpu, os.cpu_count(), sh("cut -d' ' -f1-3 /proc/loadavg")))
print("- " + "; ".join([sh("hyperfine --version"), sh("bwrap --version"), sh("runc --version | head -1"),
      sh("slirp4netns --version | head -1"), "passt " + sh("dpkg-query -W -f='${Version}' passt"),
      sh("iperf3 --version | head -1 | cut -d' ' -f1-2"), sh("podman --version"),
      sh("conmon --version | head -1"), sh(os.environ["BENCH_MVRC"] + " --version")]))
print("\n## Start-to-exit of /bin/true, rootless (%s runs each, one hyperfine run)\n" % runs)
print("| command | median ms | mean ms | stddev ms | min ms |\n|---|---:|---:|---:|---:|")
for name, r in list(start.items()) + list(eng.items()):
    print("| %s | %.2f | %.2f | %.2f | %.2f |" % (name, ms(r), r["mean"] * 1000, r["stddev"] * 1000, r["min"] * 1000))
print("\n![start times](start.png)\n")
print("## Memory\n\nmvrc's own process while `sleep` runs in the container: VmRSS %s kB, VmHWM %s kB.\n" %
      (mem["VmRSS:"], mem["VmHWM:"]))
print("## Network: container to host, iperf3 -R for %s s through a published port\n" % secs)
print("Server in the container (iperf3 -s, published with -p), client on the host's 127.0.0.1 with -R,")
print("so the data flows from the container to the host through the engine's port forwarding. The")
print("standalone column runs the same engine by hand, with the same options, for a namespace made by")
print("`unshare -Urn`. Best of two alternating runs each (all four in parentheses).\n")
print("| engine | through mvrc Gbit/s | standalone Gbit/s | ratio |\n|---|---:|---:|---:|")
for e, m, s, *all_ in net:
    print("| %s | %s | %s | %.2f (%s) |" % (e, m, s, float(m) / float(s), " ".join(all_)))
print("\n## mvrc as an OCI runtime, against runc\n")
print("`podman --runtime RUNTIME run --rm IMAGE /bin/true`, rootless, with a Podman configuration and")
print("vfs storage of the bench's own and IMAGE imported from the busybox rootfs (%s runs each):\n" % pruns)
print("| command | median ms | mean ms | stddev ms | min ms |\n|---|---:|---:|---:|---:|")
for name, r in pod.items():
    print("| %s | %.2f | %.2f | %.2f | %.2f |" % (name, ms(r), r["mean"] * 1000, r["stddev"] * 1000, r["min"] * 1000))
print("\n`RUNTIME create --bundle B bench && RUNTIME start bench && RUNTIME delete --force bench`, in")
print("`sh -c`, on the same rootless bundle (`runc spec --rootless`, /bin/true) for both (%s runs each);" % runs)
print("the sh row runs `true` for RUNTIME: the shell's own share of every row.\n")
print("| runtime | median ms | mean ms | stddev ms | min ms |\n|---|---:|---:|---:|---:|")
for name, r in oci.items():
    print("| %s | %.2f | %.2f | %.2f | %.2f |" % (name, ms(r), r["mean"] * 1000, r["stddev"] * 1000, r["min"] * 1000))
print("\nEach command on its own (median of 30 cycles, ms, timed from Python):\n")
print("| runtime | create | start | delete --force |\n|---|---:|---:|---:|")
for name, v in phases.items():
    print("| %s | %.2f | %.2f | %.2f |" % (name, *v))
print("\n## Verdict\n")
mv, bw, rc = ms(start["mvrc"]), ms(start["bwrap"]), ms(start["runc"])
ok = lambda b: "met" if b else "**missed**"
print("- mvrc's median start ≤ bwrap's: %.2f ms vs %.2f ms: %s" % (mv, bw, ok(mv <= bw)))
print("- ≥ 6× faster than runc: %.1f× (%.2f ms vs %.2f ms): %s" % (rc / mv, mv, rc, ok(rc / mv >= 6)))
print("- mvrc's RSS while a container runs ≤ 1 MiB: %s kB: %s" % (mem["VmRSS:"], ok(int(mem["VmRSS:"]) <= 1024)))
for e, m, s, *_ in net:
    print("- network over %s ≥ 0.95× standalone: %.2f×: %s" % (e, float(m) / float(s), ok(float(m) / float(s) >= 0.95)))
sl, pa = ms(eng["mvrc --network slirp4netns"]), ms(eng["mvrc --network pasta"])
rate = {e: float(m) for e, m, *_ in net}
print("- default engine: start with slirp4netns %.2f ms, with pasta %.2f ms; throughput %.2f vs %.2f Gbit/s"
      % (sl, pa, rate["slirp4netns"], rate["pasta"]))
pm, pr = pod["podman + mvrc"]["mean"] * 1000, pod["podman + runc"]["mean"] * 1000
print("- `podman run --rm` through mvrc ≤ through runc (mean): %.1f ms vs %.1f ms: %s" % (pm, pr, ok(pm <= pr)))
om, orc, osh = ms(oci["mvrc"]), ms(oci["runc"]), ms(oci["sh"])
print("- create+start+delete ≥ 6× faster than runc's: %.1f× (%.2f ms vs %.2f ms; %.1f× without the shell's %.2f ms): %s"
      % (orc / om, om, orc, (orc - osh) / (om - osh), osh, ok(orc / om >= 6)))
print("\n## What the numbers depend on\n")
user = os.environ.get("USER", "")
subid = any(l.startswith(user + ":") for l in open("/etc/subuid")) if os.path.exists("/etc/subuid") else False
if subid and sh("command -v newuidmap"):
    print("- %s has /etc/subuid and /etc/subgid ranges, so every mvrc start maps them as Podman does:" % user)
    print("  it runs the setuid helpers newuidmap and newgidmap (one fork and exec each). bwrap and the floor")
    print("  map the single id `0 UID 1` and run no helper.")
linked = "static" if "not a dynamic" in sh("ldd " + os.environ["BENCH_MVRC"] + " 2>&1") else "dynamic"
print("- mvrc is linked %s; its resident memory is mostly the pages of the C library and of libcap," % linked)
print("  json-c and libseccomp that it touched while it set the container up.")
EOF
}

inner() {
  MVRC=$BENCH_MVRC ROOTFS=$BENCH_ROOTFS
  WORK=$(mktemp -d)
  trap 'podman_gone; rm -rf "$WORK"' EXIT
  need hyperfine bwrap runc iperf3 gnuplot unshare slirp4netns pasta python3 podman
  start_times
  memory
  throughput
  podman_times
  oci_times
  chart
  report
}

main() {
  if [[ ${1:-} == --inner ]]; then
    inner
  elif [[ $(id -u) -eq 0 ]]; then
    need hyperfine
    [[ -x $REPO/final/mvrc ]] || die "final/mvrc not built (run make)"
    as_user
  else
    [[ -x $REPO/final/mvrc ]] || die "final/mvrc not built (run make)"
    BENCH_MVRC=$REPO/final/mvrc BENCH_ROOTFS=${MVRC_ROOTFS:-$REPO/rootfs/busybox}
    BENCH_OUT=$HERE
    export BENCH_MVRC BENCH_ROOTFS BENCH_OUT
    inner
  fi
}

main "$@"
