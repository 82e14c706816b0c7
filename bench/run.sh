#!/usr/bin/env bash
# Builds Release, load-tests a running picker over ext_proc gRPC, then runs the BenchmarkDotNet suite.
# Every output lands in bench/results/ (or $RESULTS), each file starting with the exact command that made it.
# About 8-9 minutes on 2 cores. SMOKE=1 runs the same steps with short durations (about 3 minutes) to check the set-up.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULTS=${RESULTS:-bench/results}
POOL=${POOL:-bench/pools/pool-100.yaml}
POOL_ENDPOINTS=${POOL_ENDPOINTS:-100}
GRPC_PORT=${GRPC_PORT:-9002}
HEALTH_PORT=${HEALTH_PORT:-9003}
RATE=${RATE:-2000}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-10}
LARGE_PROMPT_BYTES=${LARGE_PROMPT_BYTES:-220000}
LARGE_RATE=${LARGE_RATE:-200}
MAX_START=${MAX_START:-2000}
MAX_STEP=${MAX_STEP:-2000}
MAX_LIMIT=${MAX_LIMIT:-16000}
MAX_STEP_DURATION=${MAX_STEP_DURATION:-10}
BDN_ARGS=${BDN_ARGS:-}
# PIN=1 puts the picker on CPU 0 and the load generator on CPU 1 instead of letting them share both cores.
PIN=${PIN:-0}

if [[ "${SMOKE:-0}" == 1 ]]; then
  DURATION=5 WARMUP=2 MAX_STEP_DURATION=3 MAX_LIMIT=6000 BDN_ARGS="--job short ${BDN_ARGS}"
fi

PICKER_DLL=services/picker/bin/Release/net10.0/Suite.Picker.dll
LOADTEST_DLL=bench/Suite.Picker.LoadTest/bin/Release/net10.0/Suite.Picker.LoadTest.dll
BENCH_DLL=bench/Suite.Picker.Benchmarks/bin/Release/net10.0/Suite.Picker.Benchmarks.dll

picker_cpu=() generator_cpu=()
if [[ "$PIN" == 1 ]]; then
  picker_cpu=(taskset -c 0) generator_cpu=(taskset -c 1)
fi

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# run OUTPUT COMMAND...: the exact command as the first line, then its output; a failure is recorded, not fatal.
run() {
  local out=$1; shift
  local status=0
  { printf '# command:'; printf ' %q' "$@"; printf '\n'; } > "$out"
  "$@" 2>&1 | tee -a "$out" || status=$?
  if [[ $status -ne 0 ]]; then
    echo "# exit status $status" | tee -a "$out"
  fi
}

mkdir -p "$RESULTS" "$(dirname "$POOL")"

echo "== build (Release)"
dotnet build services/picker/Suite.Picker.csproj -c Release -nologo -v quiet
dotnet build bench/Suite.Picker.LoadTest/Suite.Picker.LoadTest.csproj -c Release -nologo -v quiet
dotnet build bench/Suite.Picker.Benchmarks/Suite.Picker.Benchmarks.csproj -c Release -nologo -v quiet

echo "== pool file"
dotnet "$LOADTEST_DLL" --write-pool "$POOL_ENDPOINTS" "$POOL"

if port_open "$GRPC_PORT"; then
  echo "port $GRPC_PORT is already in use: stop whatever listens there first" >&2
  exit 1
fi

echo "== picker"
picker=("${picker_cpu[@]}" dotnet "$PICKER_DLL" --pool-file "$POOL" --grpc-port "$GRPC_PORT" --health-port "$HEALTH_PORT")
{ printf '# command:'; printf ' %q' "${picker[@]}"; printf '\n'; } > "$RESULTS/picker.log"
"${picker[@]}" >> "$RESULTS/picker.log" 2>&1 &
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
    echo "the picker exited during start-up; see $RESULTS/picker.log" >&2
    exit 1
  fi
  sleep 0.25
done
port_open "$GRPC_PORT" || { echo "the picker did not open port $GRPC_PORT in 30 s" >&2; exit 1; }

loadtest=("${generator_cpu[@]}" dotnet "$LOADTEST_DLL" --target "http://127.0.0.1:$GRPC_PORT" --picker-pid "$PICKER_PID" --warmup "$WARMUP")

echo "== load test: $RATE req/s, 1 KB prompts"
run "$RESULTS/loadtest-1kb.txt" "${loadtest[@]}" --rate "$RATE" --duration "$DURATION" --prompt-bytes 1000 \
  --out "$RESULTS/loadtest-1kb.json"

echo "== load test: $LARGE_RATE req/s, $LARGE_PROMPT_BYTES-byte prompts"
run "$RESULTS/loadtest-220kb.txt" "${loadtest[@]}" --rate "$LARGE_RATE" --duration "$DURATION" \
  --prompt-bytes "$LARGE_PROMPT_BYTES" --out "$RESULTS/loadtest-220kb.json"

echo "== load test: find the highest sustained rate"
run "$RESULTS/loadtest-find-max.txt" "${loadtest[@]}" --find-max --start-rate "$MAX_START" --step "$MAX_STEP" \
  --max-rate "$MAX_LIMIT" --step-duration "$MAX_STEP_DURATION" --prompt-bytes 1000 --out "$RESULTS/loadtest-find-max.json"

stop_picker

echo "== BenchmarkDotNet"
# shellcheck disable=SC2086 # BDN_ARGS is a list of flags.
run "$RESULTS/benchmarks.txt" dotnet "$BENCH_DLL" --filter '*' --artifacts "$RESULTS/benchmarkdotnet" $BDN_ARGS

echo "== results in $RESULTS"
ls -1 "$RESULTS" "$RESULTS/benchmarkdotnet/results" 2>/dev/null
