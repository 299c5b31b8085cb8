#!/usr/bin/env bash
# Foundation overhead benchmark: the same closed-loop wrk load sent to one simulated engine directly,
# through nginx (the reference reverse proxy) and through the Shepherd gateway, in one run; prints a
# table and (unless WRITE_DOC=0) rewrites the generated block of docs/performance.md.
#
#   testing/benchmarks/overhead.sh                  # defaults: 15-30 minutes (JIT warm-up)
#   DURATION=5 WARMUP=10 WARMUP_MAX=10 ROUNDS=1 WRITE_DOC=0 testing/benchmarks/overhead.sh  # a quick look
#
# Settings (environment variables, defaults in brackets):
#   SERVER_HOME        assembled server [distributions/server/target/shepherd-server]
#   DURATION           seconds of each measured wrk run [15]
#   WARMUP             least seconds of the same load per target before measuring [20]
#   WARMUP_MAX         most seconds of warm-up per target [180]. Warm-up goes on in 10 s steps until
#                      the JVMs involved (engine, gateway) compiled at most JIT_QUIET methods in
#                      each of the last two steps (jstat): on the shared 2-core machine the JIT needs
#                      40-120 s of this load, and the CPU per request plateaus while C2 is still busy
#   JIT_QUIET          see WARMUP_MAX [25]
#   ROUNDS             measured rounds per case; target order rotates each round, medians reported [3]
#   CONNECTIONS        wrk connections (closed-loop clients) [64]
#   THREADS            wrk threads [2]
#   CASES              which cases to run, of: chat1 stream64 [chat1 stream64]
#   STREAM_DECODE_MS   sim-engine decode step for stream64; 0 = no delay [0]
#   LIGHT_DURATION     seconds of an extra 1-connection run per target (unloaded per-hop latency);
#                      0 skips it [5]
#   PROBE              1 = for stream cases, a curl probe measures time to first byte under load [1]
#   NGINX_WORKERS      nginx worker_processes [number of CPUs, the gateway's default I/O threads]
#   GATEWAY_ARGS       extra `smg launch` flags, e.g. "--log-level warn" []
#   GATEWAY_JAVA_OPTS  JVM options for the gateway only (SMG_JAVA_OPTS), e.g. JFR []
#   WRK_CPUS SIM_CPUS PROXY_CPUS   taskset CPU lists for wrk, the sim engine and both proxies
#                      (nginx and the gateway always get the same list); empty = no pinning []
#   NICE               run every benchmark process (sim, proxies, wrk, curl) at this nice level, e.g.
#                      -5 as root, to be less disturbed by other work on a shared machine []
#   BASE_PORT          first of three loopback ports used (sim, gateway, nginx) [18400]
#   WRITE_DOC          1 = update docs/performance.md [1]
#   DOC                the document to update [docs/performance.md]
#   KEEP_DIR           1 = keep the temporary directory with logs and raw wrk output [0]
set -euo pipefail

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

SERVER_HOME=${SERVER_HOME:-$root/distributions/server/target/shepherd-server}
DURATION=${DURATION:-15}
WARMUP=${WARMUP:-20}
WARMUP_MAX=${WARMUP_MAX:-180}
JIT_QUIET=${JIT_QUIET:-25}
WARMUP_STEP=$((WARMUP > 0 && WARMUP < 10 ? WARMUP : 10))
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
CASES=${CASES:-chat1 stream64}
STREAM_DECODE_MS=${STREAM_DECODE_MS:-0}
LIGHT_DURATION=${LIGHT_DURATION:-5}
PROBE=${PROBE:-1}
NGINX_WORKERS=${NGINX_WORKERS:-$(nproc)}
GATEWAY_ARGS=${GATEWAY_ARGS:-}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-}
WRK_CPUS=${WRK_CPUS:-}
SIM_CPUS=${SIM_CPUS:-}
PROXY_CPUS=${PROXY_CPUS:-}
NICE=${NICE:-}
BASE_PORT=${BASE_PORT:-18400}
WRITE_DOC=${WRITE_DOC:-1}
DOC=${DOC:-$root/docs/performance.md}
KEEP_DIR=${KEEP_DIR:-0}

# The command line that reproduces this run: the settings that differ from the defaults, then the script.
COMMAND=$(command_line testing/benchmarks/overhead.sh DURATION WARMUP WARMUP_MAX JIT_QUIET ROUNDS CONNECTIONS \
  THREADS CASES STREAM_DECODE_MS LIGHT_DURATION PROBE NGINX_WORKERS GATEWAY_ARGS GATEWAY_JAVA_OPTS WRK_CPUS SIM_CPUS \
  PROXY_CPUS NICE)

die() { echo "overhead: $*" >&2; exit 1; }

# --- (a) what is needed --------------------------------------------------------------------------
[ -x "$SERVER_HOME/bin/smg" ] || die "no assembled server at $SERVER_HOME; build it first:
  ./mvnw -q -o install -DskipTests -pl '!testing/e2e,!testing/benchmarks,!testing/architecture-tests'"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install -y wrk)"
command -v curl >/dev/null || die "curl is not installed"
NGINX=$(command -v nginx || true)
[ -n "$NGINX" ] || [ ! -x /usr/sbin/nginx ] || NGINX=/usr/sbin/nginx
if [ -z "$NGINX" ]; then
  log "nginx is not installed (apt-get install -y nginx): the nginx reference is skipped"
fi

NICE_CMD=()
[ -n "$NICE" ] && NICE_CMD=(nice -n "$NICE")
pin() { # pin CPU-LIST command...: runs the command under taskset when a list is given (and nice)
  local cpus=$1; shift
  if [ -n "$cpus" ]; then "${NICE_CMD[@]}" taskset -c "$cpus" "$@"; else "${NICE_CMD[@]}" "$@"; fi
}
spawn() { # spawn CPU-LIST command... &: like pin, but replaces the (background) subshell, so $! is the process
  local cpus=$1; shift
  if [ -n "$cpus" ]; then exec "${NICE_CMD[@]}" taskset -c "$cpus" "$@"; else exec "${NICE_CMD[@]}" "$@"; fi
}

SIM_PORT=$BASE_PORT
GW_PORT=$((BASE_PORT + 1))
NGINX_PORT=$((BASE_PORT + 2))
for p in "$SIM_PORT" "$GW_PORT" "$NGINX_PORT"; do
  if [ -n "$(ss -Hltn "sport = :$p" 2>/dev/null || true)" ]; then
    die "port $p is in use; choose another BASE_PORT"
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/shepherd-overhead.XXXXXX")
results=$work/results.tsv
: >"$results"

# --- (h) clean-up --------------------------------------------------------------------------------
PIDS=()
SIM_PID= GW_PID= NGINX_PID=
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  if [ "$KEEP_DIR" = 1 ] || [ "$rc" != 0 ]; then
    log "logs and raw output kept in $work"
  else
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Run a copy: a rebuild of the distribution during the run must not change (or break) what is measured.
GIT_HEAD=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null || true)" ]; then
  GIT_HEAD="$GIT_HEAD (working tree with uncommitted changes)"
fi
# A copy taken while the distribution is being rebuilt would be torn: copy only when nothing changed
# in it for a few seconds before and during the copy.
tree_state() { { find "$SERVER_HOME" -type f -printf '%P %s %T@\n' 2>/dev/null || true; } | sort | cksum; }
copied=0
for attempt in $(seq 30); do
  before=$(tree_state)
  sleep 3
  [ "$(tree_state)" = "$before" ] || continue
  rm -rf "$work/server"
  cp -a "$SERVER_HOME" "$work/server"
  if [ "$(tree_state)" = "$before" ]; then copied=1; break; fi
done
[ "$copied" = 1 ] || die "$SERVER_HOME keeps changing (a build running?); try again later"
SERVER_HOME=$work/server
JAVA_BIN=$(. "$SERVER_HOME/bin/find-jdk.sh" && shepherd_find_jdk)/bin
BUILD_TIME=$(date -u -r "$SERVER_HOME/lib" '+%Y-%m-%d %H:%M UTC')
for jar in "$SERVER_HOME"/lib/shepherd-kernel-*.jar; do
  [ -f "$jar" ] && BUILD_TIME=$(date -u -r "$jar" '+%Y-%m-%d %H:%M UTC')
done


# --- (b)-(d) the stack: one sim engine, the gateway and nginx in front of it ---------------------
start_sim() { # start_sim DECODE_MS
  local decode=$1 flags
  if [ "$decode" = 0 ]; then flags=(--fast); else flags=(--prefill-base-ms 0 --prefill-tps 0 --decode-ms "$decode"); fi
  spawn "$SIM_CPUS" "$SERVER_HOME/bin/smg" sim --host 127.0.0.1 --port "$SIM_PORT" --model m "${flags[@]}" \
    >"$work/sim.log" 2>&1 &
  PIDS+=($!)
  SIM_PID=$!
  wait_http "http://127.0.0.1:$SIM_PORT/v1/models" "sim engine"
}

start_gateway() {
  # shellcheck disable=SC2086 # GATEWAY_ARGS is a list of flags
  spawn "$PROXY_CPUS" env SMG_JAVA_OPTS="${GATEWAY_JAVA_OPTS:-${SMG_JAVA_OPTS:-}}" "$SERVER_HOME/bin/smg" launch --host 127.0.0.1 --port "$GW_PORT" \
    --worker-urls "http://127.0.0.1:$SIM_PORT" --policy round_robin --disable-health-check \
    --shutdown-grace-period-secs 1 $GATEWAY_ARGS >"$work/gateway.log" 2>&1 &
  PIDS+=($!)
  GW_PID=$!
  wait_http "http://127.0.0.1:$GW_PORT/readiness" "gateway"
  wait_http "http://127.0.0.1:$GW_PORT/v1/models" "gateway"
}

start_nginx() {
  [ -n "$NGINX" ] || return 0
  local prefix=$work/nginx user=""
  mkdir -p "$prefix/logs" "$prefix/tmp"
  [ "$(id -u)" = 0 ] && user="user root;"
  cat >"$prefix/nginx.conf" <<EOF
# Generated by testing/benchmarks/overhead.sh: a tuned keep-alive reverse proxy over the sim engine.
$user
daemon off;
master_process on;
worker_processes $NGINX_WORKERS;
pid $prefix/nginx.pid;
error_log $prefix/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $prefix/tmp/body;
  proxy_temp_path $prefix/tmp/proxy;
  fastcgi_temp_path $prefix/tmp/fastcgi;
  uwsgi_temp_path $prefix/tmp/uwsgi;
  scgi_temp_path $prefix/tmp/scgi;
  keepalive_requests 1000000;
  upstream sim {
    server 127.0.0.1:$SIM_PORT;
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://sim;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
EOF
  spawn "$PROXY_CPUS" "$NGINX" -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" \
    >"$prefix/logs/stdout.log" 2>&1 &
  PIDS+=($!)
  NGINX_PID=$!
  wait_http "http://127.0.0.1:$NGINX_PORT/v1/models" "nginx"
}

# --- (e) load ------------------------------------------------------------------------------------
body_for() { # body_for CASE
  case $1 in
    chat1) echo '{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":1}' ;;
    stream64) echo '{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":64,"stream":true}' ;;
    *) die "unknown case $1 (chat1, stream64)" ;;
  esac
}

write_lua() { # write_lua CASE FILE
  cat >"$2" <<EOF
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$(body_for "$1")'
EOF
}

target_url() {
  case $1 in
    direct) echo "http://127.0.0.1:$SIM_PORT" ;;
    nginx) echo "http://127.0.0.1:$NGINX_PORT" ;;
    gateway) echo "http://127.0.0.1:$GW_PORT" ;;
  esac
}


# CPU accounting: utime + stime of whole processes (all threads, and nginx's workers) from /proc, so
# the cost per request can be compared even when other load on the machine makes rates noisy.
CLK_TCK=$(getconf CLK_TCK)
proxy_pids() { # proxy_pids TARGET: the processes doing the proxying for a target (none for direct)
  case $1 in
    gateway) echo "$GW_PID" ;;
    nginx) echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true) ;;
  esac
}
proc_ticks() { # proc_ticks PID...: their CPU time so far, in clock ticks
  local p total=0
  for p in "$@"; do
    if [ -r "/proc/$p/stat" ]; then
      total=$((total + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 }')))
    fi
  done
  echo "$total"
}
us_per_request() { # us_per_request TICKS REQUESTS
  awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.1f", t * 1000000 / hz / n; else print "-" }'
}

# parse_wrk FILE: "rps p50_ms p99_ms errors"
parse_wrk() {
  local f=$1 rps p50 p99 errs
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$f")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$f")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$f")")
  errs=$(awk '/Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 }
              /Non-2xx or 3xx responses:/ { e += $5 }
              END { print e + 0 }' "$f")
  echo "${rps:-0} ${p50:-0} ${p99:-0} $errs"
}

# probe_ttfb URL CASE SECONDS OUT: one more client, sequential keep-alive requests with curl, writing
# "time_to_first_byte_ms total_ms" per request until SECONDS have passed.
probe_ttfb() {
  local url=$1 kase=$2 secs=$3 out=$4 cfg end i
  cfg=$work/probe.curl
  {
    echo "silent"
    echo "header = \"Content-Type: application/json\""
    echo "data = \"$(body_for "$kase" | sed 's/"/\\"/g')\""
    echo "write-out = \"%{time_starttransfer} %{time_total}\\n\""
    for i in $(seq 200); do echo "url = \"$url/v1/chat/completions\""; echo "output = /dev/null"; done
  } >"$cfg"
  end=$((SECONDS + secs))
  : >"$out"
  while [ "$SECONDS" -lt "$end" ]; do
    pin "$WRK_CPUS" curl -K "$cfg" >>"$out" 2>/dev/null || true
  done
}

percentile() { # percentile COLUMN P FILE: nearest-rank percentile of a column, in ms
  awk -v c="$1" '{ print $c * 1000 }' "$3" | sort -n | awk -v p="$2" '
    { v[NR] = $1 } END { if (NR == 0) { print "0"; exit } i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1;
    printf "%.3f", v[i] }'
}

run_wrk() { # run_wrk TARGET CASE SECONDS CONNECTIONS THREADS OUT
  local url lua=$work/$2.lua
  url=$(target_url "$1")
  pin "$WRK_CPUS" wrk -t"$5" -c"$4" -d"$3"s --latency --timeout 10s -s "$lua" "$url" >"$6" 2>&1 \
    || die "wrk failed against $1: $(cat "$6")"
}

jit_compiled() { # jit_compiled PID...: methods the JVMs compiled so far (jstat; 0 when unreadable)
  local p total=0 n
  for p in "$@"; do
    n=$("$JAVA_BIN/jstat" -compiler "$p" 2>/dev/null | awk 'NR == 2 { print $1 + 0 }' || true)
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

# warm_up TARGET CASE: the same load in WARMUP_STEP steps, from WARMUP to WARMUP_MAX seconds, until the
# JIT of the JVMs involved was quiet in the last two steps.
WARMED=""
warm_up() {
  local t=$1 kase=$2 elapsed=0 quiet=0 cpu pids jvms before reqs jit0 jit raw=$work/warmup-$2-$1.txt
  pids="$SIM_PID $(proxy_pids "$t")"
  jvms=$SIM_PID
  [ "$t" = gateway ] && jvms="$jvms $GW_PID"
  [ "$WARMUP_MAX" -gt 0 ] || return 0
  while :; do
    # shellcheck disable=SC2086 # lists of pids
    before=$(proc_ticks $pids) jit0=$(jit_compiled $jvms)
    run_wrk "$t" "$kase" "$WARMUP_STEP" "$CONNECTIONS" "$THREADS" "$raw"
    reqs=$(awk '/requests in/ { print $1 }' "$raw")
    # shellcheck disable=SC2086
    cpu=$(us_per_request $(($(proc_ticks $pids) - before)) "$reqs") jit=$(($(jit_compiled $jvms) - jit0))
    elapsed=$((elapsed + WARMUP_STEP))
    if [ "$jit" -le "$JIT_QUIET" ]; then quiet=$((quiet + 1)); else quiet=0; fi
    log "case $kase: warming up $t: ${elapsed}s, $(awk '/^Requests\/sec:/ { print $2 }' "$raw") rps, $cpu CPU µs/req, $jit methods JIT-compiled"
    if [ "$elapsed" -ge "$WARMUP" ] && [ "$quiet" -ge 2 ]; then
      WARMED+="${WARMED:+, }$kase/$t ${elapsed} s"
      return
    fi
    if [ "$elapsed" -ge "$WARMUP_MAX" ]; then
      log "case $kase: $t not steady after ${elapsed}s of warm-up; measuring anyway"
      WARMED+="${WARMED:+, }$kase/$t ${elapsed} s (not steady)"
      return
    fi
  done
}

TARGETS=(direct)
[ -n "$NGINX" ] && TARGETS+=(nginx)
TARGETS+=(gateway)

measure_case() { # measure_case CASE
  local kase=$1 decode=0 t r i n=${#TARGETS[@]} order raw f probe ttfb50 ttfb99 pp sim0 proxy0 simcpu proxycpu reqs
  [ "$kase" = stream64 ] && decode=$STREAM_DECODE_MS
  write_lua "$kase" "$work/$kase.lua"
  log "case $kase: starting sim engine (decode ${decode} ms), gateway, nginx"
  start_sim "$decode"
  start_gateway
  start_nginx
  for t in "${TARGETS[@]}"; do
    warm_up "$t" "$kase"
  done
  for ((r = 1; r <= ROUNDS; r++)); do
    order=()
    for ((i = 0; i < n; i++)); do order+=("${TARGETS[$(((i + r - 1) % n))]}"); done
    for t in "${order[@]}"; do
      log "case $kase round $r: $t, ${DURATION}s at $CONNECTIONS connections"
      raw=$work/wrk-$kase-$t-$r.txt
      probe=$work/probe-$kase-$t-$r.txt
      ttfb50=- ttfb99=-
      pp=$(proxy_pids "$t")
      sim0=$(proc_ticks "$SIM_PID")
      # shellcheck disable=SC2086 # a list of pids
      proxy0=$(proc_ticks $pp)
      if [ "$PROBE" = 1 ] && [ "$kase" != chat1 ]; then
        probe_ttfb "$(target_url "$t")" "$kase" "$DURATION" "$probe" &
        f=$!
        PIDS+=("$f")
        run_wrk "$t" "$kase" "$DURATION" "$CONNECTIONS" "$THREADS" "$raw"
        wait "$f" || true
        ttfb50=$(percentile 1 50 "$probe")
        ttfb99=$(percentile 1 99 "$probe")
      else
        run_wrk "$t" "$kase" "$DURATION" "$CONNECTIONS" "$THREADS" "$raw"
      fi
      reqs=$(awk '/requests in/ { print $1 }' "$raw")
      [ -s "$probe" ] && reqs=$((reqs + $(wc -l <"$probe")))
      simcpu=$(us_per_request $(($(proc_ticks "$SIM_PID") - sim0)) "$reqs")
      proxycpu=-
      # shellcheck disable=SC2086 # a list of pids
      [ -n "$pp" ] && proxycpu=$(us_per_request $(($(proc_ticks $pp) - proxy0)) "$reqs")
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kase" "$t" "$r" "$(parse_wrk "$raw" | tr ' ' '\t')" \
        "$ttfb50" "$ttfb99" "$proxycpu" "$simcpu" >>"$results"
      cat "$raw" >>"$work/wrk-all.txt"
    done
  done
  if [ "$LIGHT_DURATION" != 0 ]; then
    for t in "${TARGETS[@]}"; do
      log "case $kase: $t unloaded, ${LIGHT_DURATION}s at 1 connection"
      raw=$work/wrk-$kase-$t-light.txt
      run_wrk "$t" "$kase" "$LIGHT_DURATION" 1 1 "$raw"
      printf '%s\t%s\tlight\t%s\t-\t-\t-\t-\n' "$kase" "$t" "$(parse_wrk "$raw" | tr ' ' '\t')" >>"$results"
    done
  fi
  stop_all
}

JDK_VERSION=$(. "$SERVER_HOME/bin/find-jdk.sh" && "$(shepherd_find_jdk)/bin/java" -version 2>&1 | awk 'NR == 1')
NGINX_VERSION=$([ -n "$NGINX" ] && "$NGINX" -v 2>&1 | sed 's/^nginx version: //' || echo "not installed")
WRK_VERSION=$( (wrk -v 2>&1 || true) | awk 'NR == 1 { print $1, $2 }')
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')

log "benchmark dir $work; $(nproc) CPUs; $JDK_VERSION; nginx $NGINX_VERSION; load $LOAD_BEFORE"
for kase in $CASES; do
  measure_case "$kase"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- (f) the table -------------------------------------------------------------------------------
# Medians over rounds per (case, target), then ratios and added latency against direct and nginx.
report() {
  awk -F'\t' -v have_nginx="${NGINX:+1}" -v cases="$CASES" '
    function median(key,   n, i, j, tmp, a) {
      n = split(vals[key], a, " ")
      for (i = 2; i <= n; i++) { tmp = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > tmp + 0; j--) a[j + 1] = a[j]; a[j + 1] = tmp }
      if (n == 0) return ""
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    function add(key, v) { vals[key] = (key in vals) ? vals[key] " " v : v }
    {
      k = $1 SUBSEP $2 SUBSEP (($3 == "light") ? "light" : "load")
      add(k SUBSEP "rps", $4); add(k SUBSEP "p50", $5); add(k SUBSEP "p99", $6); add(k SUBSEP "err", $7)
      if ($8 != "-") { add(k SUBSEP "t50", $8); add(k SUBSEP "t99", $9) }
      if ($10 != "-") add(k SUBSEP "pcpu", $10)
      if ($11 != "-") add(k SUBSEP "scpu", $11)
      rounds[k]++
    }
    function get(c, t, m, f) { return median(c SUBSEP t SUBSEP m SUBSEP f) }
    function num(x, d) { return (x == "") ? "-" : sprintf("%." d "f", x) }
    function signed(x) { return (x == "") ? "-" : sprintf("%+.2f", x) }
    END {
      nc = split(cases, cs, " ")
      print "| case | target | rps | p50 ms | p99 ms | errors | TTFB p50 ms | TTFB p99 ms | 1-conn p50 ms | 1-conn p99 ms | proxy CPU µs/req | sim CPU µs/req |"
      print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
      for (ci = 1; ci <= nc; ci++) {
        c = cs[ci]
        nt = split("direct nginx gateway", ts, " ")
        for (ti = 1; ti <= nt; ti++) {
          t = ts[ti]
          if (!((c SUBSEP t SUBSEP "load") in rounds)) continue
          printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c, t, num(get(c, t, "load", "rps"), 0),
            num(get(c, t, "load", "p50"), 2), num(get(c, t, "load", "p99"), 2), num(get(c, t, "load", "err"), 0),
            num(get(c, t, "load", "t50"), 2), num(get(c, t, "load", "t99"), 2),
            num(get(c, t, "light", "p50"), 3), num(get(c, t, "light", "p99"), 3),
            num(get(c, t, "load", "pcpu"), 0), num(get(c, t, "load", "scpu"), 0)
        }
      }
      print ""
      print "| case | gateway/direct rps | gateway/nginx rps | nginx/direct rps | gateway added p50 / p99 ms | nginx added p50 / p99 ms | gateway added 1-conn p50 ms | nginx added 1-conn p50 ms |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|"
      for (ci = 1; ci <= nc; ci++) {
        c = cs[ci]
        d = get(c, "direct", "load", "rps"); g = get(c, "gateway", "load", "rps"); x = get(c, "nginx", "load", "rps")
        dp50 = get(c, "direct", "load", "p50"); dp99 = get(c, "direct", "load", "p99")
        dl50 = get(c, "direct", "light", "p50")
        gl50 = get(c, "gateway", "light", "p50"); xl50 = get(c, "nginx", "light", "p50")
        printf "| %s | %s | %s | %s | %s / %s | %s / %s | %s | %s |\n", c,
          (d > 0 ? sprintf("%.2f", g / d) : "-"), (x > 0 ? sprintf("%.2f", g / x) : "-"),
          (d > 0 && x != "" ? sprintf("%.2f", x / d) : "-"),
          signed(get(c, "gateway", "load", "p50") - dp50), signed(get(c, "gateway", "load", "p99") - dp99),
          (x != "" ? signed(get(c, "nginx", "load", "p50") - dp50) : "-"),
          (x != "" ? signed(get(c, "nginx", "load", "p99") - dp99) : "-"),
          (gl50 != "" ? sprintf("%+.3f", gl50 - dl50) : "-"), (xl50 != "" ? sprintf("%+.3f", xl50 - dl50) : "-")
      }
    }' "$results"
}

TABLE=$(report)
echo
echo "$TABLE"
echo
echo "raw rows (case, target, round, rps, p50 ms, p99 ms, errors, ttfb p50 ms, ttfb p99 ms, proxy CPU us/req, sim CPU us/req):"
cat "$results"

# --- (g) docs/performance.md ---------------------------------------------------------------------
if [ "$WRITE_DOC" = 1 ]; then
  pinning="none (the scheduler places every process)"
  [ -n "$WRK_CPUS$SIM_CPUS$PROXY_CPUS" ] && \
    pinning="taskset: wrk ${WRK_CPUS:-any}, sim engine ${SIM_CPUS:-any}, nginx and gateway ${PROXY_CPUS:-any}"
  stream_mode="no delay (\`--fast\`)"
  [ "$STREAM_DECODE_MS" != 0 ] && stream_mode="\`--decode-ms $STREAM_DECODE_MS\` per token"
  block=$work/block.md
  {
    echo "<!-- overhead:begin (generated by testing/benchmarks/overhead.sh; edits inside are overwritten) -->"
    echo "### Latest run: $STARTED"
    echo
    echo "Command (from the repository root): \`$COMMAND\`"
    echo
    echo "- Machine: $(nproc) CPUs ($CPU_MODEL), $(uname -sr), shared with other work: load average $LOAD_BEFORE before, $LOAD_AFTER after."
    echo "- Gateway build: distribution assembled $BUILD_TIME, repository at $GIT_HEAD; JDK: $JDK_VERSION; JVM options: \`${GATEWAY_JAVA_OPTS:-${SMG_JAVA_OPTS:-bin/smg defaults}}\`; extra flags: \`${GATEWAY_ARGS:-none}\`."
    echo "- nginx $NGINX_VERSION, $NGINX_WORKERS worker processes (the gateway has one I/O thread per CPU); $WRK_VERSION."
    echo "- Load: wrk, $CONNECTIONS connections, $THREADS threads, warm-up per target until the JIT was quiet ($WARMED), then $ROUNDS round(s) of ${DURATION} s per target (order rotating each round; medians over rounds)."
    echo "- Cases: \`chat1\` = non-streaming chat completion, \`max_tokens\` 1, sim engine with no delays (\`--fast\`); \`stream64\` = streamed chat completion of 64 tokens (67 SSE events, ~13 KB), sim engine $stream_mode. One sim engine per case; each case gets a fresh sim engine, gateway and nginx."
    echo "- Pinning: $pinning; nice level: ${NICE:-unchanged}."
    echo "- Latency is wrk's whole-response latency (the full stream for \`stream64\`); TTFB is from one extra curl client sending the same request sequentially during the measured window (\`time_starttransfer\`); 1-conn is a separate ${LIGHT_DURATION} s wrk run with one connection (per-hop latency without queueing). CPU µs/req is the user+system CPU time the proxy (the gateway's JVM, all its threads; nginx's workers) and the sim engine used during the measured window, divided by the requests completed: it shows cost per request even when other load on the machine makes the rates noisy."
    echo
    echo "$TABLE"
    echo "<!-- overhead:end -->"
  } >"$block"
  mkdir -p "$(dirname "$DOC")"
  if [ -f "$DOC" ] && grep -q '<!-- overhead:begin' "$DOC"; then
    awk -v blockfile="$block" '
      /<!-- overhead:begin/ { while ((getline line < blockfile) > 0) print line; skip = 1; next }
      /<!-- overhead:end -->/ { skip = 0; next }
      !skip { print }' "$DOC" >"$work/doc.md"
    cat "$work/doc.md" >"$DOC"
  else
    {
      if [ ! -f "$DOC" ]; then
        echo "# Performance"
        echo
      else
        cat "$DOC"
        echo
      fi
      echo "## Foundation overhead: gateway vs nginx vs direct"
      echo
      cat "$block"
    } >"$work/doc.md"
    cat "$work/doc.md" >"$DOC"
  fi
  log "updated $DOC"
fi
