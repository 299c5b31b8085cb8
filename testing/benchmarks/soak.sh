#!/usr/bin/env bash
# Soak benchmark: steady chat load (streamed and not) through the assembled gateway to four simulated
# engines while a chaos loop kills them (listener and every connection dropped, restarted on the same
# port), crashes them mid-stream, hangs, slows and 5xx-storms them; then the same load fault-free, in
# the same invocation. The gateway runs as its own process (bin/smg launch); the engines and the
# clients run in the driver's JVM (dev.shepherd.bench.soak.SoakMain, compiled here against the JDK,
# run with the assembled server's lib/ on its class path for the engine classes). Reports requests sent,
# succeeded, failed with an explicit error, lost and hung (both must be 0), p99 latency against the
# fault-free run, and whether successful answers equal an uninterrupted generation. Unless WRITE_DOC=0
# it rewrites the generated block of docs/reliability.md. Bounded: about 3 minutes with the defaults
# (2m10s of load, plus start-up and the final text check).
#
#   testing/benchmarks/soak.sh                                 # defaults
#   CHAOS_SECS=30 CLEAN_SECS=30 testing/benchmarks/soak.sh     # a quick look (about 1.5 minutes)
#
# Settings (environment variables, defaults in brackets):
#   SERVER_HOME          assembled server [distributions/server/target/shepherd-server]
#   CLIENTS              closed-loop clients [16]
#   WARMUP_SECS          fault-free load first, not counted (JIT warm-up) [10]
#   CHAOS_SECS           seconds of load under chaos [75]
#   CLEAN_SECS           seconds of the same load without faults [45]
#   STREAM_SHARE         fraction of streamed requests [0.5]
#   MIN_TOKENS MAX_TOKENS  range of max_tokens per request [8 32]
#   DECODE_MS            the engines' decode step in ms [2]
#   CLIENT_TIMEOUT_SECS  a request without a complete answer by then counts as hung [30]
#   MAX_FAULTY           engines under a fault at once (of 4) [2]
#   CHAOS_PAUSE_MIN_MS CHAOS_PAUSE_MAX_MS  pause between two faults [500 2500]
#   FAULT_MIN_MS FAULT_MAX_MS  how long a fault lasts (a killed engine's downtime) [2000 6000]
#   GATEWAY_ARGS         extra `smg launch` flags []
#   SEED                 random seed of load and chaos [random]
#   BASE_PORT            first of seven loopback ports (4 engines, gateway, reference engine, metrics) [18700]
#   WRITE_DOC            1 = update docs/reliability.md [1]
#   DOC                  the document to update [docs/reliability.md]
#   KEEP_DIR             1 = keep the work directory with every log and the chaos event list [0]
#
# Exit status: 0 when nothing was lost, hung or garbled; 1 otherwise; 2 when the run could not be set up.
set -euo pipefail

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
root=$(CDPATH= cd -- "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

SERVER_HOME=${SERVER_HOME:-$root/distributions/server/target/shepherd-server}
BASE_PORT=${BASE_PORT:-18700}
WRITE_DOC=${WRITE_DOC:-1}
DOC=${DOC:-$root/docs/reliability.md}
KEEP_DIR=${KEEP_DIR:-0}

COMMAND=$(command_line testing/benchmarks/soak.sh CLIENTS WARMUP_SECS CHAOS_SECS CLEAN_SECS STREAM_SHARE MIN_TOKENS \
  MAX_TOKENS DECODE_MS CLIENT_TIMEOUT_SECS MAX_FAULTY CHAOS_PAUSE_MIN_MS CHAOS_PAUSE_MAX_MS FAULT_MIN_MS FAULT_MAX_MS \
  GATEWAY_ARGS SEED)

die() { echo "soak: $*" >&2; exit 2; }

[ -x "$SERVER_HOME/bin/smg" ] || die "no assembled server at $SERVER_HOME; build it first:
  ./mvnw -q -o install -Dmaven.test.skip=true"
. "$SERVER_HOME/bin/find-jdk.sh"
JDK=$(shepherd_find_jdk) || die "no JDK 21+ found (JAVA_HOME or /usr/lib/jvm)"
for p in $(seq "$BASE_PORT" $((BASE_PORT + 6))); do
  if [ -n "$(ss -Hltn "sport = :$p" 2>/dev/null || true)" ]; then
    die "port $p is in use; choose another BASE_PORT"
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/shepherd-soak.XXXXXX")
cleanup() {
  if [ "$KEEP_DIR" = 1 ]; then log "logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The driver uses only the JDK; compile it here so the script needs no Maven build of this module.
mkdir -p "$work/classes"
"$JDK/bin/javac" --release 21 -d "$work/classes" "$here"/src/main/java/dev/shepherd/bench/soak/*.java \
  || die "the soak driver did not compile"

args=("serverHome=$SERVER_HOME" "work=$work" "basePort=$BASE_PORT")
add() { # add KEY VAR: passes an environment setting through when it is set
  if [ -n "$(printenv "$2" || true)" ]; then args+=("$1=${!2}"); fi
}
add clients CLIENTS; add warmupSecs WARMUP_SECS; add chaosSecs CHAOS_SECS; add cleanSecs CLEAN_SECS
add streamShare STREAM_SHARE; add minTokens MIN_TOKENS; add maxTokens MAX_TOKENS; add decodeMs DECODE_MS
add clientTimeoutSecs CLIENT_TIMEOUT_SECS; add maxFaulty MAX_FAULTY; add chaosPauseMinMs CHAOS_PAUSE_MIN_MS
add chaosPauseMaxMs CHAOS_PAUSE_MAX_MS; add faultMinMs FAULT_MIN_MS; add faultMaxMs FAULT_MAX_MS
add gatewayArgs GATEWAY_ARGS; add seed SEED

STARTED=$(date -u '+%Y-%m-%d %H:%M UTC')
GIT_HEAD=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -n "$(git --no-optional-locks -C "$root" status --porcelain 2>/dev/null | head -1)" ] && GIT_HEAD="$GIT_HEAD (with local changes)"
JDK_VERSION=$("$JDK/bin/java" -version 2>&1 | awk 'NR == 1')
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
log "soak run in $work; $(nproc) CPUs; $JDK_VERSION"

# The engines log to a file (warnings and up), not into the report.
cat >"$work/logback.xml" <<EOF
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$work/engines.log</file>
    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{30} - %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
EOF

set +e
"$JDK/bin/java" -Xmx1g -Dlogback.configurationFile="$work/logback.xml" -cp "$work/classes:$SERVER_HOME/lib/*" \
  dev.shepherd.bench.soak.SoakMain "${args[@]}"
status=$?
set -e
[ "$status" = 2 ] && { KEEP_DIR=1; die "the run could not be set up; logs kept in $work"; }
[ "$status" = 0 ] || KEEP_DIR=1

if [ "$WRITE_DOC" = 1 ] && [ -f "$work/report.md" ]; then
  block=$work/block.md
  {
    echo "<!-- soak:begin (generated by testing/benchmarks/soak.sh; edits inside are overwritten) -->"
    echo "### Latest run: $STARTED"
    echo
    echo "Command (from the repository root, after \`./mvnw -q -o install -Dmaven.test.skip=true\`): \`$COMMAND\`"
    echo
    echo "- Machine: $(nproc) CPUs ($CPU_MODEL), $(uname -sr), shared with other work; gateway, engines and clients all on it. Repository at $GIT_HEAD; $JDK_VERSION."
    cat "$work/report.md"
    echo "<!-- soak:end -->"
  } >"$block"
  mkdir -p "$(dirname "$DOC")"
  if [ -f "$DOC" ] && grep -q '<!-- soak:begin' "$DOC"; then
    awk -v blockfile="$block" '
      /<!-- soak:begin/ { while ((getline line < blockfile) > 0) print line; skip = 1; next }
      /<!-- soak:end -->/ { skip = 0; next }
      !skip { print }' "$DOC" >"$work/doc.md"
    cat "$work/doc.md" >"$DOC"
  else
    { [ -f "$DOC" ] && cat "$DOC" && echo; cat "$block"; } >"$work/doc.md"
    cat "$work/doc.md" >"$DOC"
  fi
  log "updated $DOC"
fi
exit "$status"
