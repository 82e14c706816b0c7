#!/usr/bin/env bash
# Measures the model simulator (tools/model-sim) with Suite.ModelSim.Load: a closed-loop concurrency sweep against one
# llama-3.1-8b-h100 instance, then what a 10-instance fleet costs in CPU and memory with 200 streams open on it.
# Results: bench/results/model-sim-sweep.{txt,json} and model-sim-cost.{txt,json} (or $RESULTS/...); each .txt
# starts with the exact command. About 6 minutes on 2 cores; run on a quiet machine, since the load shares the cores
# with the simulator. SMOKE=1 runs the same steps in about a minute, to check the set-up.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULTS=${RESULTS:-bench/results}
SWEEP_PORT=${SWEEP_PORT:-8200}
COST_PORT=${COST_PORT:-8300}
COST_INSTANCES=${COST_INSTANCES:-10}
PRESET=llama-3.1-8b-h100
MODEL=meta-llama/Llama-3.1-8B-Instruct
# Extra flags for each mode, e.g. SWEEP_ARGS="--levels 1,8,64 --seconds 10".
SWEEP_ARGS=${SWEEP_ARGS:-}
COST_ARGS=${COST_ARGS:-}
if [[ "${SMOKE:-0}" == 1 ]]; then
  SWEEP_ARGS="--levels 1,16 --seconds 3 --warmup 1 ${SWEEP_ARGS}"
  COST_ARGS="--seconds 5 --warmup 2 ${COST_ARGS}"
fi

SIM_DLL=tools/model-sim/bin/Release/net10.0/model-sim.dll
LOAD_DLL=bench/Suite.ModelSim.Load/bin/Release/net10.0/Suite.ModelSim.Load.dll

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# run OUTPUT COMMAND...: the exact command as the first line, the source that was built, then its output; a failure
# is recorded, not fatal.
run() {
  local out=$1; shift
  local status=0
  { printf '# command:'; printf ' %q' "$@"; printf '\n'; } > "$out"
  echo "# source: $SOURCE" >> "$out"
  "$@" 2>&1 | tee -a "$out" || status=$?
  if [[ $status -ne 0 ]]; then
    echo "# exit status $status" | tee -a "$out"
  fi
}

mkdir -p "$RESULTS"

echo "== build (Release)"
# What the binaries are built from, taken now: the tree may move on while the runs take their minutes.
SOURCE="commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- tools/model-sim bench/Suite.ModelSim.Load 2>/dev/null || echo ', with uncommitted changes in tools/model-sim or bench/Suite.ModelSim.Load')"
dotnet build tools/model-sim/Suite.ModelSim.csproj -c Release -nologo -v quiet
dotnet build bench/Suite.ModelSim.Load/Suite.ModelSim.Load.csproj -c Release -nologo -v quiet

for port in "$SWEEP_PORT" $(seq "$COST_PORT" $((COST_PORT + COST_INSTANCES - 1))); do
  if port_open "$port"; then
    echo "port $port is already in use: stop whatever listens there first" >&2
    exit 1
  fi
done

echo "== simulator: one $PRESET instance on port $SWEEP_PORT"
SIM_LOG=$(mktemp)
dotnet "$SIM_DLL" --preset "$PRESET" --instances 1 --port "$SWEEP_PORT" > "$SIM_LOG" 2>&1 &
SIM_PID=$!
stop_sim() {
  if [[ -n "${SIM_PID:-}" ]] && kill -0 "$SIM_PID" 2>/dev/null; then
    kill "$SIM_PID"
    wait "$SIM_PID" 2>/dev/null || true
  fi
  SIM_PID=
}
trap 'stop_sim; rm -f "$SIM_LOG"' EXIT

for _ in $(seq 1 120); do
  grep -q '^sim-0 ' "$SIM_LOG" && break
  if ! kill -0 "$SIM_PID" 2>/dev/null; then
    echo "the simulator exited during start-up:" >&2
    cat "$SIM_LOG" >&2
    exit 1
  fi
  sleep 0.25
done
grep -q '^sim-0 ' "$SIM_LOG" || { echo "the simulator did not announce its instance in 30 s:" >&2; cat "$SIM_LOG" >&2; exit 1; }
cat "$SIM_LOG"

echo "== sweep"
# shellcheck disable=SC2086 # SWEEP_ARGS is a list of flags.
run "$RESULTS/model-sim-sweep.txt" dotnet "$LOAD_DLL" sweep --target "http://127.0.0.1:$SWEEP_PORT" --model "$MODEL" \
  --sim-pid "$SIM_PID" --out "$RESULTS/model-sim-sweep.json" $SWEEP_ARGS

stop_sim
# Anything the simulator printed after announcing itself (errors, warnings).
tail -n +2 "$SIM_LOG"

echo "== cost: $COST_INSTANCES instances started by the load program"
# shellcheck disable=SC2086 # COST_ARGS is a list of flags.
run "$RESULTS/model-sim-cost.txt" dotnet "$LOAD_DLL" cost --sim-dll "$SIM_DLL" --preset "$PRESET" --instances "$COST_INSTANCES" \
  --port "$COST_PORT" --streams 200 --seconds 30 --out "$RESULTS/model-sim-cost.json" $COST_ARGS

echo "== results in $RESULTS"
ls -1 "$RESULTS"/model-sim-*
