#!/usr/bin/env bash
# Measures the metrics-collector (services/metrics-collector) with Suite.Collector.Load:
#  1. cost: a model-sim fleet of 100 tiny instances (one process, 127.0.1.1-100, one port) and the collector (another
#     process) scraping them every 50 ms; the collector's CPU and memory, the simulator's CPU and the scrape rate
#     achieved, first with the fleet idle, then with completions traffic moving its figures;
#  2. freshness: 10 tiny instances, the collector and a picker in one process; how long a pod's queue change takes to
#     show in the picker's pool store; then the same with 100 instances.
# Results: bench/results/collector-cost.{txt,json}, collector-freshness.{txt,json}, collector-freshness-100.{txt,json}
# and the collector's log collector-service.log (or under $RESULTS); each .txt starts with the exact command. About
# 4 minutes on 2 cores.
# Run on a quiet machine: everything shares the same cores. SMOKE=1 runs the same steps in about a minute.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULTS=${RESULTS:-bench/results}
INSTANCES=${INSTANCES:-100}
FLEET_PORT=${FLEET_PORT:-18000}
COLLECTOR_PORT=${COLLECTOR_PORT:-9190}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-60}
LOAD_RATE=${LOAD_RATE:-200}
FRESHNESS_PODS=${FRESHNESS_PODS:-10}
# A second freshness run at the cost run's size (collector-freshness-N.*); 0 skips it.
FRESHNESS_LARGE_PODS=${FRESHNESS_LARGE_PODS:-100}
SAMPLES=${SAMPLES:-300}
# Extra flags for each mode, e.g. COST_ARGS="--phases idle" or FRESHNESS_ARGS="--interval-ms 100".
COST_ARGS=${COST_ARGS:-}
FRESHNESS_ARGS=${FRESHNESS_ARGS:-}
if [[ "${SMOKE:-0}" == 1 ]]; then
  WARMUP=3
  DURATION=5
  SAMPLES=30
fi

SIM_DLL=tools/model-sim/bin/Release/net10.0/model-sim.dll
COLLECTOR_DLL=services/metrics-collector/bin/Release/net10.0/Suite.MetricsCollector.dll
LOAD_DLL=bench/Suite.Collector.Load/bin/Release/net10.0/Suite.Collector.Load.dll

WORK=$(mktemp -d)
SIM_PID=
COLLECTOR_PID=

# stop PID: SIGTERM, then SIGKILL if it is still there after 10 s. Only ever the processes this script started.
stop() {
  local pid=$1
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "pid $pid ignored SIGTERM for 10 s; killing it" >&2
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  stop "$COLLECTOR_PID"
  stop "$SIM_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# measure OUTPUT COMMAND...: the command on the first line, then what was built, then the command's output. A failed
# measurement is written down and the script goes on.
measure() {
  local out=$1 status=0
  shift
  {
    printf '# command:'
    printf ' %q' "$@"
    printf '\n# source: %s\n' "$SOURCE"
  } > "$out"
  "$@" 2>&1 | tee -a "$out" || status=$?
  if [[ $status -ne 0 ]]; then
    echo "# exit status $status" | tee -a "$out"
  fi
}

mkdir -p "$RESULTS"

echo "== build (Release)"
# Taken before building: the tree may change while the measurements run.
SOURCE="commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if ! git diff --quiet HEAD -- services/metrics-collector tools/model-sim libs bench/Suite.Collector.Load 2>/dev/null \
  || [[ -n "$(git status --porcelain -- services/metrics-collector tools/model-sim libs bench/Suite.Collector.Load 2>/dev/null)" ]]; then
  SOURCE="$SOURCE, with uncommitted changes under services/metrics-collector, tools/model-sim, libs or bench/Suite.Collector.Load"
fi
for project in tools/model-sim/Suite.ModelSim.csproj services/metrics-collector/Suite.MetricsCollector.csproj \
  bench/Suite.Collector.Load/Suite.Collector.Load.csproj; do
  dotnet build "$project" -c Release -nologo -v quiet
done

if listening 127.0.1.1 "$FLEET_PORT" || listening 127.0.0.1 "$COLLECTOR_PORT"; then
  echo "port $FLEET_PORT (127.0.1.1) or $COLLECTOR_PORT is already in use: stop whatever listens there first" >&2
  exit 1
fi

echo "== simulator: $INSTANCES tiny instances on 127.0.1.1-127.0.1.$INSTANCES:$FLEET_PORT"
dotnet "$SIM_DLL" --preset tiny --instances "$INSTANCES" --loopback-addresses true --port "$FLEET_PORT" > "$WORK/sim.log" 2>&1 &
SIM_PID=$!
last="sim-$((INSTANCES - 1)) "
for _ in $(seq 1 240); do
  grep -q "^$last" "$WORK/sim.log" && break
  kill -0 "$SIM_PID" 2>/dev/null || { echo "the simulator exited during start-up:" >&2; cat "$WORK/sim.log" >&2; exit 1; }
  sleep 0.25
done
grep -q "^$last" "$WORK/sim.log" || { echo "the simulator did not start $INSTANCES instances in 60 s:" >&2; cat "$WORK/sim.log" >&2; exit 1; }
head -n 1 "$WORK/sim.log"
echo "..."
grep "^$last" "$WORK/sim.log"

echo "== collector on the fleet (manifests: one pool, $INSTANCES pods)"
dotnet "$LOAD_DLL" manifests --pods "$INSTANCES" --port "$FLEET_PORT" --out "$WORK/pools.yaml"
COLLECTOR_LOG="$RESULTS/collector-service.log"
COLLECTOR_CMD=(dotnet "$COLLECTOR_DLL" --Collector:Discovery=Static --manifests "$WORK/pools.yaml" --http-port "$COLLECTOR_PORT" --Messaging:Mode=InMemory)
{ printf '# command:'; printf ' %q' "${COLLECTOR_CMD[@]}"; printf '\n'; } > "$COLLECTOR_LOG"
"${COLLECTOR_CMD[@]}" >> "$COLLECTOR_LOG" 2>&1 &
COLLECTOR_PID=$!

echo "== cost (idle, then $LOAD_RATE completions/s)"
# The load program's own idle thread-pool workers would spin on the cores the collector needs.
# shellcheck disable=SC2086 # COST_ARGS is a list of flags.
measure "$RESULTS/collector-cost.txt" env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 dotnet "$LOAD_DLL" cost \
  --collector-pid "$COLLECTOR_PID" --sim-pid "$SIM_PID" --port "$FLEET_PORT" --instances "$INSTANCES" \
  --collector-url "http://127.0.0.1:$COLLECTOR_PORT" --warmup "$WARMUP" --seconds "$DURATION" --load-rate "$LOAD_RATE" \
  --out "$RESULTS/collector-cost.json" $COST_ARGS

stop "$COLLECTOR_PID"
COLLECTOR_PID=
stop "$SIM_PID"
SIM_PID=

echo "== freshness ($FRESHNESS_PODS pods in process, $SAMPLES changes)"
# shellcheck disable=SC2086 # FRESHNESS_ARGS is a list of flags.
measure "$RESULTS/collector-freshness.txt" dotnet "$LOAD_DLL" freshness --pods "$FRESHNESS_PODS" --samples "$SAMPLES" \
  --out "$RESULTS/collector-freshness.json" $FRESHNESS_ARGS

if [[ "$FRESHNESS_LARGE_PODS" -gt 0 ]]; then
  echo "== freshness ($FRESHNESS_LARGE_PODS pods in process, $SAMPLES changes)"
  # shellcheck disable=SC2086 # FRESHNESS_ARGS is a list of flags.
  measure "$RESULTS/collector-freshness-$FRESHNESS_LARGE_PODS.txt" dotnet "$LOAD_DLL" freshness --pods "$FRESHNESS_LARGE_PODS" \
    --samples "$SAMPLES" --out "$RESULTS/collector-freshness-$FRESHNESS_LARGE_PODS.json" $FRESHNESS_ARGS
fi

echo "== results in $RESULTS"
ls -1 "$RESULTS"/collector-*
