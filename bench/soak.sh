#!/usr/bin/env bash
# Soak: holds a Release picker on a 100-endpoint pool at 2,000 req/s for 10 minutes over ext_proc gRPC and reports,
# every 30 s, errors, decision latency and the picker's memory (RSS, managed heap), then the drift from first to last.
# Writes $RESULTS/soak-${RATE}rps.{txt,json} (the text file starts with the exact command) and the picker's log.
# About 12 minutes with the build. SMOKE=1: a 60-second run, results named soak-${RATE}rps-smoke.*, to check the set-up.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULTS=${RESULTS:-bench/results}
POOL=${POOL:-bench/pools/pool-100.yaml}
POOL_ENDPOINTS=${POOL_ENDPOINTS:-100}
GRPC_PORT=${GRPC_PORT:-9002}
HEALTH_PORT=${HEALTH_PORT:-9003}
HTTP_PORT=${HTTP_PORT:-9090}
RATE=${RATE:-2000}
DURATION=${DURATION:-600}
WARMUP=${WARMUP:-30}
REPORT_EVERY=${REPORT_EVERY:-30}
PROMPT_BYTES=${PROMPT_BYTES:-1000}
# The picker shares its routing decisions over the event bus. With no Dapr sidecar here, Dapr mode would fail every
# 50 ms publish and log a stack trace each time; InMemory keeps that path running and succeeding, as with a sidecar.
MESSAGING_MODE=${MESSAGING_MODE:-InMemory}
# PIN=1 puts the picker on CPU 0 and the load generator on CPU 1 instead of letting them share both cores.
PIN=${PIN:-0}
NAME=soak-${RATE}rps

if [[ "${SMOKE:-0}" == 1 ]]; then
  DURATION=60 WARMUP=10 REPORT_EVERY=10 NAME=${NAME}-smoke
fi

PICKER_DLL=services/picker/bin/Release/net10.0/Suite.Picker.dll
LOADTEST_DLL=bench/Suite.Picker.LoadTest/bin/Release/net10.0/Suite.Picker.LoadTest.dll

picker_cpu=() generator_cpu=()
if [[ "$PIN" == 1 ]]; then
  picker_cpu=(taskset -c 0) generator_cpu=(taskset -c 1)
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mkdir -p "$RESULTS" "$(dirname "$POOL")"

echo "== build (Release)"
dotnet build services/picker/Suite.Picker.csproj -c Release -nologo -v quiet
dotnet build bench/Suite.Picker.LoadTest/Suite.Picker.LoadTest.csproj -c Release -nologo -v quiet

echo "== pool file"
dotnet "$LOADTEST_DLL" --write-pool "$POOL_ENDPOINTS" "$POOL"

for port in "$GRPC_PORT" "$HEALTH_PORT" "$HTTP_PORT"; do
  if port_open "$port"; then
    echo "port $port is already in use: stop whatever listens there first" >&2
    exit 1
  fi
done

echo "== picker"
# The setting turns on .NET's built-in System.Runtime meter in the picker's OpenTelemetry pipeline (configuration
# only, no code change), so its /metrics page carries the managed heap next to the picker's own series.
picker=("${picker_cpu[@]}" env 'Metrics__EnabledMetrics__System.Runtime=true' "Messaging__Mode=$MESSAGING_MODE"
  dotnet "$PICKER_DLL" --pool-file "$POOL" --grpc-port "$GRPC_PORT" --health-port "$HEALTH_PORT" --http-port "$HTTP_PORT")
{ printf '# command:'; printf ' %q' "${picker[@]}"; printf '\n'; } > "$RESULTS/$NAME-picker.log"
"${picker[@]}" >> "$RESULTS/$NAME-picker.log" 2>&1 &
PICKER_PID=$!
stop_picker() {
  if [[ -n "${PICKER_PID:-}" ]] && kill -0 "$PICKER_PID" 2>/dev/null; then
    kill "$PICKER_PID"
    wait "$PICKER_PID" 2>/dev/null || true
  fi
  PICKER_PID=
}
trap stop_picker EXIT

for _ in $(seq 1 120); do
  port_open "$GRPC_PORT" && break
  if ! kill -0 "$PICKER_PID" 2>/dev/null; then
    echo "the picker exited during start-up; see $RESULTS/$NAME-picker.log" >&2
    exit 1
  fi
  sleep 0.25
done
port_open "$GRPC_PORT" || { echo "the picker did not open port $GRPC_PORT in 30 s" >&2; exit 1; }

# Without PIN, env exec()s dotnet in place, so $PICKER_PID is the picker's own process; with PIN, taskset does too.
loadtest=("${generator_cpu[@]}" dotnet "$LOADTEST_DLL" --target "http://127.0.0.1:$GRPC_PORT"
  --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --report-every "$REPORT_EVERY" --prompt-bytes "$PROMPT_BYTES"
  --picker-pid "$PICKER_PID" --picker-metrics "http://127.0.0.1:$HTTP_PORT/metrics" --out "$RESULTS/$NAME.json")

echo "== soak: $RATE req/s for $DURATION s after $WARMUP s of warm-up, a line every $REPORT_EVERY s"
status=0
{ printf '# command:'; printf ' %q' "${loadtest[@]}"; printf '\n'; } > "$RESULTS/$NAME.txt"
"${loadtest[@]}" 2>&1 | tee -a "$RESULTS/$NAME.txt" || status=$?
if ! kill -0 "$PICKER_PID" 2>/dev/null; then
  echo "# the picker was no longer running at the end of the soak; see $RESULTS/$NAME-picker.log" | tee -a "$RESULTS/$NAME.txt"
  status=1
fi
if [[ $status -ne 0 ]]; then
  echo "# exit status $status" | tee -a "$RESULTS/$NAME.txt"
fi

stop_picker
echo "== results: $RESULTS/$NAME.txt, $RESULTS/$NAME.json, $RESULTS/$NAME-picker.log"
exit "$status"
