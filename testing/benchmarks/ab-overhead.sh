#!/usr/bin/env bash
# What one difference between two gateways costs: the same closed-loop wrk load as overhead.sh, sent
# to two gateways in front of one simulated engine, identical but for one feature (FEATURE):
#   metrics     `observability.metrics_enabled` (on: the request observer, worker/admission/plugin-call
#               meters, JVM binders and the Prometheus listener; off: none of them)
#   access-log  `logging.access_log`, both gateways logging JSON lines (`logging.json`)
#   tracing     `observability.tracing` at 100 % sampling, exporting OTLP/HTTP to a local sink that
#               counts what it receives (off: tracing disabled); metrics and access log on for both
#   fleet       FLEET_SIZE registered workers (on) against 4 (off), all aliases of the one engine
#               (`/w/<n>`), policy POLICY, health checks every 60 s as SMG's default; case `chatvar`
#               sends varied prompts from 64 shared prefixes so prefix-aware policies do real work.
#               Also times `GET /workers` on both.
# Rounds alternate between the two gateways so slow drifts in the machine's other load hit both
# alike. Prints a table and (unless WRITE_DOC=0) rewrites the feature's generated block of
# docs/performance.md.
#
#   testing/benchmarks/ab-overhead.sh                          # metrics, about 6 minutes
#   FEATURE=tracing testing/benchmarks/ab-overhead.sh
#   FEATURE=fleet POLICY=cache_aware testing/benchmarks/ab-overhead.sh
#   DURATION=5 ROUNDS=2 WRITE_DOC=0 testing/benchmarks/ab-overhead.sh   # a quick look
#
# Settings (environment variables, defaults in brackets):
#   FEATURE       metrics, access-log, tracing or fleet [metrics]
#   POLICY        routing policy of both gateways [round_robin]
#   FLEET_SIZE    workers of the "on" gateway with FEATURE=fleet [4000]
#   SERVER_HOME   assembled server [distributions/server/target/shepherd-server]
#   DURATION      seconds of each measured wrk run [10]
#   WARMUP        seconds of warm-up load per gateway before measuring (JIT) [20]
#   ROUNDS        measured rounds per case; each round runs both gateways, order alternating [5]
#   CONNECTIONS   wrk connections [64]      THREADS   wrk threads [2]
#   CASES         of: chat1 stream64 chatvar [chat1 stream64; chatvar with FEATURE=fleet]
#   GATEWAY_ARGS  extra `smg launch` flags for both gateways []
#   NICE          nice level for every process, e.g. -5 as root []
#   BASE_PORT     first of five loopback ports (sim, gateway on, gateway off, Prometheus, OTLP sink) [18500]
#   WRITE_DOC     1 = update docs/performance.md [1]        DOC   the document [docs/performance.md]
#   KEEP_DIR      1 = keep the temporary directory with logs and raw output [0]
set -euo pipefail

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

SERVER_HOME=${SERVER_HOME:-$root/distributions/server/target/shepherd-server}
FEATURE=${FEATURE:-metrics}
POLICY=${POLICY:-round_robin}
FLEET_SIZE=${FLEET_SIZE:-4000}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-20}
ROUNDS=${ROUNDS:-5}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
if [ "$FEATURE" = fleet ]; then CASES=${CASES:-chatvar}; else CASES=${CASES:-chat1 stream64}; fi
GATEWAY_ARGS=${GATEWAY_ARGS:-}
NICE=${NICE:-}
BASE_PORT=${BASE_PORT:-18500}
WRITE_DOC=${WRITE_DOC:-1}
DOC=${DOC:-$root/docs/performance.md}
KEEP_DIR=${KEEP_DIR:-0}

die() { echo "ab-overhead: $*" >&2; exit 1; }

[ -x "$SERVER_HOME/bin/smg" ] || die "no assembled server at $SERVER_HOME; build it first: ./mvnw -q -o install -Dmaven.test.skip=true"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install -y wrk)"
command -v curl >/dev/null || die "curl is not installed"
case $FEATURE in
  metrics|access-log|fleet) ;;
  tracing) command -v python3 >/dev/null || die "python3 is needed for the OTLP sink" ;;
  *) die "unknown FEATURE $FEATURE (metrics, access-log, tracing, fleet)" ;;
esac

SIM_PORT=$BASE_PORT
ON_PORT=$((BASE_PORT + 1))
OFF_PORT=$((BASE_PORT + 2))
PROM_PORT=$((BASE_PORT + 3))
SINK_PORT=$((BASE_PORT + 4))
for p in "$SIM_PORT" "$ON_PORT" "$OFF_PORT" "$PROM_PORT" "$SINK_PORT"; do
  [ -z "$(ss -Hltn "sport = :$p" 2>/dev/null || true)" ] || die "port $p is in use; choose another BASE_PORT"
done

NICE_CMD=()
[ -n "$NICE" ] && NICE_CMD=(nice -n "$NICE")

work=$(mktemp -d "${TMPDIR:-/tmp}/shepherd-$FEATURE-overhead.XXXXXX")
results=$work/results.tsv
: >"$results"
GIT_HEAD=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null || true)" ] || GIT_HEAD="$GIT_HEAD (working tree with uncommitted changes)"
cp -a "$SERVER_HOME" "$work/server"
SERVER_HOME=$work/server

PIDS=()
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  if [ "$KEEP_DIR" = 1 ] || [ "$rc" != 0 ]; then log "logs and raw output kept in $work"; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM


# The two manifests differ in the feature only; both gateways get the same flags. The "on" gateway's
# Prometheus listener is the one the sanity check scrapes.
on_prometheus=$(printf '  prometheus_host: 127.0.0.1\n  prometheus_port: %s\n' "$PROM_PORT")
case $FEATURE in
  metrics)
    printf 'observability:\n  metrics_enabled: true\n%s\n' "$on_prometheus" >"$work/on.yaml"
    printf 'observability:\n  metrics_enabled: false\n' >"$work/off.yaml" ;;
  access-log)
    printf 'logging:\n  json: true\n  access_log: true\nobservability:\n%s\n' "$on_prometheus" >"$work/on.yaml"
    printf 'logging:\n  json: true\n  access_log: false\nobservability:\n  prometheus_port: 0\n' >"$work/off.yaml" ;;
  tracing)
    printf 'observability:\n%s\n  tracing:\n    enabled: true\n    sampling_ratio: 1.0\n    otlp_traces_endpoint: 127.0.0.1:%s\n' \
      "$on_prometheus" "$SINK_PORT" >"$work/on.yaml"
    printf 'observability:\n  prometheus_port: 0\n' >"$work/off.yaml" ;;
  fleet)
    # Every worker is an alias of the one engine, so the difference is the gateway's bookkeeping.
    { printf 'observability:\n%s\nworkers:\n' "$on_prometheus"
      for ((i = 0; i < FLEET_SIZE; i++)); do printf '  - http://127.0.0.1:%s/w/%s\n' "$SIM_PORT" "$i"; done
    } >"$work/on.yaml"
    { printf 'observability:\n  prometheus_port: 0\nworkers:\n'
      for ((i = 0; i < 4; i++)); do printf '  - http://127.0.0.1:%s/w/%s\n' "$SIM_PORT" "$i"; done
    } >"$work/off.yaml" ;;
esac
# Without a workers list in the manifest, both gateways front the engine itself.
WORKER_ARGS=(--worker-urls "http://127.0.0.1:$SIM_PORT" --disable-health-check)
[ "$FEATURE" = fleet ] && WORKER_ARGS=(--health-check-interval-secs 60)

# The OTLP sink: answers every export with 200 and counts requests and bytes, like a collector that
# drops what it gets; it runs on the same CPUs, as a collector beside the gateway would.
start_sink() {
  cat >"$work/sink.py" <<'PY'
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    requests = 0
    received = 0
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        Sink.requests += 1
        Sink.received += n
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def do_GET(self):
        body = ("%d %d\n" % (Sink.requests, Sink.received)).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
  python3 "$work/sink.py" "$SINK_PORT" >"$work/sink.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$SINK_PORT/" "OTLP sink"
}

SIM_PID= ON_PID= OFF_PID=
start_stack() {
  "${NICE_CMD[@]}" "$SERVER_HOME/bin/smg" sim --host 127.0.0.1 --port "$SIM_PORT" --model m --fast >"$work/sim.log" 2>&1 &
  SIM_PID=$!; PIDS+=("$SIM_PID")
  wait_http "http://127.0.0.1:$SIM_PORT/v1/models" "sim engine"
  [ "$FEATURE" = tracing ] && start_sink
  local which port
  for which in on off; do
    port=$ON_PORT; [ "$which" = off ] && port=$OFF_PORT
    # shellcheck disable=SC2086 # GATEWAY_ARGS is a list of flags
    "${NICE_CMD[@]}" "$SERVER_HOME/bin/smg" launch --config "$work/$which.yaml" --host 127.0.0.1 --port "$port" \
      "${WORKER_ARGS[@]}" --policy "$POLICY" --shutdown-grace-period-secs 1 $GATEWAY_ARGS >"$work/gateway-$which.log" 2>&1 &
    if [ "$which" = on ]; then ON_PID=$!; else OFF_PID=$!; fi
    PIDS+=($!)
    wait_http "http://127.0.0.1:$port/readiness" "gateway ($which)"
    if [ "$FEATURE" = fleet ]; then wait_workers "$port" "$([ "$which" = on ] && echo "$FLEET_SIZE" || echo 4)"; fi
  done
  wait_http "http://127.0.0.1:$PROM_PORT/metrics" "Prometheus listener"
  if [ "$FEATURE" = metrics ]; then
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$OFF_PORT/metrics")" = 404 ] || die "the metrics-off gateway serves /metrics"
  fi
}

# Waits (bounded) until the gateway lists COUNT ready workers.
wait_workers() {
  local port=$1 count=$2 i ready=0
  for i in $(seq 600); do
    ready=$(curl -s --max-time 10 "http://127.0.0.1:$port/workers" | grep -o '"status":"ready"' | wc -l || true)
    [ "$ready" -ge "$count" ] && return 0
    sleep 0.5
  done
  die "only $ready of $count workers became ready on port $port"
}

# Milliseconds `GET /workers` takes, median of 5.
workers_listing_ms() {
  local port=$1 i
  for i in 1 2 3 4 5; do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/workers"; done |
    sort -n | awk 'NR == 3 { printf "%.1f", $1 * 1000 }'
}

body_for() {
  case $1 in
    chat1) echo '{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":1}' ;;
    stream64) echo '{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":64,"stream":true}' ;;
    chatvar) echo '' ;;
    *) die "unknown case $1 (chat1, stream64, chatvar)" ;;
  esac
}

CLK_TCK=$(getconf CLK_TCK)
proc_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }

run_wrk() { # run_wrk PORT CASE SECONDS OUT
  "${NICE_CMD[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$3"s --latency --timeout 10s -s "$work/$2.lua" \
    "http://127.0.0.1:$1" >"$4" 2>&1 || die "wrk failed: $(cat "$4")"
}

measure() { # measure CASE WHICH ROUND
  local kase=$1 which=$2 r=$3 port=$ON_PORT pid=$ON_PID raw t0 t1 reqs rps p50 p99 errs cpu
  [ "$which" = off ] && { port=$OFF_PORT; pid=$OFF_PID; }
  raw=$work/wrk-$kase-$which-$r.txt
  t0=$(proc_ticks "$pid")
  run_wrk "$port" "$kase" "$DURATION" "$raw"
  t1=$(proc_ticks "$pid")
  reqs=$(awk '/requests in/ { print $1 }' "$raw")
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$raw")
  p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$raw")")
  p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$raw")")
  errs=$(awk '/Socket errors:/ { gsub(/,/, ""); e += $4 + $6 + $8 + $10 } /Non-2xx or 3xx responses:/ { e += $5 } END { print e + 0 }' "$raw")
  cpu=$(awk -v t=$((t1 - t0)) -v n="$reqs" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", t * 1000000 / hz / n }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kase" "$which" "$r" "$rps" "$p50" "$p99" "$errs" "$cpu" >>"$results"
  log "  $kase $which round $r: $rps rps, p50 $p50 ms, p99 $p99 ms, $cpu CPU us/req, $errs errors"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
SCRAPED=""
for kase in $CASES; do
  if [ "$kase" = chatvar ]; then
    # 64 shared system prompts of about 2,000 characters, each followed by a fresh user turn.
    cat >"$work/$kase.lua" <<'EOF'
local prefixes = {}
for g = 1, 64 do prefixes[g] = string.rep("team " .. g .. " shares this long system prompt. ", 50) end
local n = 0
request = function()
  n = n + 1
  local body = '{"model":"m","max_tokens":1,"messages":[{"role":"system","content":"' .. prefixes[(n % 64) + 1]
    .. '"},{"role":"user","content":"question ' .. n .. '"}]}'
  return wrk.format("POST", "/v1/chat/completions", {["Content-Type"] = "application/json"}, body)
end
EOF
  else
    cat >"$work/$kase.lua" <<EOF
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$(body_for "$kase")'
EOF
  fi
  log "case $kase: starting the sim engine and both gateways"
  start_stack
  for which in on off; do
    port=$ON_PORT; [ "$which" = off ] && port=$OFF_PORT
    log "case $kase: warming up the $FEATURE-$which gateway for ${WARMUP}s"
    run_wrk "$port" "$kase" "$WARMUP" "$work/warmup-$kase-$which.txt"
  done
  for ((r = 1; r <= ROUNDS; r++)); do
    if [ $((r % 2)) = 1 ]; then order="on off"; else order="off on"; fi
    for which in $order; do measure "$kase" "$which" "$r"; done
  done
  # The feature really was on: the observer counted every request the gateway served; the access log
  # has a line per request; the sink received the spans.
  counted=$(curl -s "http://127.0.0.1:$PROM_PORT/metrics" | awk '/^smg_http_requests_total\{method="POST",route="\/v1\/chat\/completions"\}/ { print $2 }')
  SCRAPED+="$kase: smg_http_requests_total{route=\"/v1/chat/completions\"} = ${counted:-missing} after the run"
  case $FEATURE in
    access-log) SCRAPED+=", $(grep -c '"logger":"smg.access"' "$work/gateway-on.log" || true) access lines on, $(grep -c '"logger":"smg.access"' "$work/gateway-off.log" || true) off" ;;
    fleet) SCRAPED+=", \`GET /workers\` took $(workers_listing_ms "$ON_PORT") ms with $FLEET_SIZE workers and $(workers_listing_ms "$OFF_PORT") ms with 4" ;;
    tracing) SCRAPED+=", the sink received $(curl -s "http://127.0.0.1:$SINK_PORT/" | awk '{ printf "%d exports, %.1f MB", $1, $2 / 1e6 }')" ;;
  esac
  SCRAPED+=". "
  stop_all
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

TABLE=$(awk -F'\t' -v cases="$CASES" -v feature="$FEATURE" '
  function median(s,   n, a, i, j, t) { n = split(s, a, " ")
    for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
  function add(k, v) { vals[k] = (k in vals) ? vals[k] " " v : v }
  { k = $1 SUBSEP $2; add(k SUBSEP "rps", $4); add(k SUBSEP "p50", $5); add(k SUBSEP "p99", $6); add(k SUBSEP "err", $7); add(k SUBSEP "cpu", $8)
    if ($2 == "on") { on[$1 SUBSEP $3] = $8 } else { off[$1 SUBSEP $3] = $8 } }
  END {
    print "| case | " feature " | rps | p50 ms | p99 ms | errors | gateway CPU µs/req |"
    print "|---|---|---:|---:|---:|---:|---:|"
    n = split(cases, cs, " ")
    for (i = 1; i <= n; i++) for (w = 1; w <= 2; w++) {
      m = (w == 1) ? "off" : "on"; k = cs[i] SUBSEP m
      printf "| %s | %s | %.0f | %.2f | %.2f | %.0f | %.1f |\n", cs[i], m, median(vals[k SUBSEP "rps"]), median(vals[k SUBSEP "p50"]),
        median(vals[k SUBSEP "p99"]), median(vals[k SUBSEP "err"]), median(vals[k SUBSEP "cpu"])
    }
    print ""
    print "| case | rps on/off | CPU µs/req on − off (median of per-round differences) | CPU on/off |"
    print "|---|---:|---:|---:|"
    for (i = 1; i <= n; i++) {
      c = cs[i]; d = ""
      for (key in on) { split(key, parts, SUBSEP); if (parts[1] == c && (key in off)) d = d (d == "" ? "" : " ") (on[key] - off[key]) }
      ron = median(vals[c SUBSEP "on" SUBSEP "rps"]); roff = median(vals[c SUBSEP "off" SUBSEP "rps"])
      con = median(vals[c SUBSEP "on" SUBSEP "cpu"]); coff = median(vals[c SUBSEP "off" SUBSEP "cpu"])
      printf "| %s | %.3f | %+.1f | %.3f |\n", c, ron / roff, median(d), con / coff
    }
  }' "$results")

echo
echo "$TABLE"
echo
echo "raw rows (case, $FEATURE, round, rps, p50 ms, p99 ms, errors, gateway CPU us/req):"
cat "$results"

if [ "$WRITE_DOC" = 1 ]; then
  block=$work/block.md
  {
    echo "<!-- $FEATURE-overhead:begin (generated by FEATURE=$FEATURE testing/benchmarks/ab-overhead.sh; edits inside are overwritten) -->"
    echo "### Latest run: $STARTED"
    echo
    echo "- Machine: $(nproc) CPUs, shared with other work: load average $LOAD_BEFORE before, $LOAD_AFTER after. Repository at $GIT_HEAD."
    echo "- Two gateways ($FEATURE on / off) in front of one \`smg sim --fast\` engine, policy $POLICY, $([ "$FEATURE" = fleet ] && echo "$FLEET_SIZE workers (on) vs 4 (off), health checks every 60 s" || echo "health checks off"); wrk $CONNECTIONS connections, $THREADS threads; ${WARMUP} s warm-up each, then $ROUNDS rounds of ${DURATION} s per gateway, alternating which goes first; medians. Extra flags: \`${GATEWAY_ARGS:-none}\`."
    echo "- Sanity: $SCRAPED"
    echo
    echo "$TABLE"
    echo "<!-- $FEATURE-overhead:end -->"
  } >"$block"
  if grep -q "<!-- $FEATURE-overhead:begin" "$DOC"; then
    awk -v blockfile="$block" -v begin="<!-- $FEATURE-overhead:begin" -v end="<!-- $FEATURE-overhead:end -->" '
      index($0, begin) == 1 { while ((getline line < blockfile) > 0) print line; skip = 1; next }
      index($0, end) == 1 { skip = 0; next }
      !skip { print }' "$DOC" >"$work/doc.md"
  else
    { cat "$DOC"; echo; echo "## What $FEATURE costs"; echo; cat "$block"; } >"$work/doc.md"
  fi
  cat "$work/doc.md" >"$DOC"
  log "updated $DOC"
fi
