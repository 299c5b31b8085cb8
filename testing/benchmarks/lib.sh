# Helpers shared by the benchmark scripts (sourced, not run). Callers define die() before calling
# wait_http, keep the processes they start in the PIDS array and their logs under $work.

log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# The command line that reproduces a run: the settings (environment variables) that were given, then
# the script. command_line SCRIPT VAR...
command_line() {
  local script=$1 v out=""
  shift
  for v in "$@"; do
    if [ -n "$(printenv "$v" || true)" ]; then
      out+="$v=$(printf '%q' "${!v}") "
    fi
  done
  printf '%s%s' "$out" "$script"
}

stop_pid() { # stop_pid PID: TERM, wait up to 10 s, then KILL
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_all() { # stops every process in PIDS, the last started first
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${PIDS[$i]}"
  done
  PIDS=()
}

wait_http() { # wait_http URL NAME: until the URL answers 200, at most 60 s
  local url=$1 name=$2 i code=
  for i in $(seq 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)
    [ "$code" = 200 ] && return 0
    sleep 0.2
  done
  die "$name did not become ready at $url (last status $code; logs in $work)
$(tail -5 "$work"/*.log 2>/dev/null || true)"
}

to_ms() { # wrk value (123.45us, 1.23ms, 1.02s, 1.5m) to milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n = n / 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n = n * 60000;
    else if (v ~ /s$/) n = n * 1000;
    printf "%.3f", n }'
}
