#!/usr/bin/env bash
# How much of the picker's open-loop ext_proc latency is the transport's: the picker and a fixed-answer ext_proc
# server on the same Kestrel/gRPC set-up (bench/Suite.ExtProc.Floor) driven in alternating rounds at 2,000 req/s with
# 1 KB prompts by two generators: h2load with the open-loop schedule of bench/h2load-crosscheck.sh (4 connections x
# 500 req/s, bursts of four), then Suite.Picker.LoadTest (evenly spaced, full Envoy exchange, decision latency).
# Needs h2load (apt-get install nghttp2-client); builds Release itself. About 7 minutes with the defaults.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v h2load > /dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 2; }
ROUNDS=${ROUNDS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
RESULTS=${RESULTS:-bench/results}
OUT="$RESULTS/extproc-floor.txt"
WORK=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$WORK"' EXIT

for project in services/picker bench/Suite.ExtProc.Floor bench/Suite.Picker.LoadTest; do
  dotnet build -c Release "$project" -v q -nologo > /dev/null
done
LOADTEST="dotnet bench/Suite.Picker.LoadTest/bin/Release/net10.0/Suite.Picker.LoadTest.dll"
mkdir -p bench/pools "$RESULTS"
$LOADTEST --write-pool 100 bench/pools/pool-100.yaml > /dev/null
$LOADTEST --write-h2load-data "$WORK/exchange.bin" > /dev/null
# h2load's timing script names the full URL, so one pair of scripts per server port.
for port in 9002 9012; do
  for phase in warm:10 run:$SECONDS_PER_RUN; do
    python3 -c "import sys; n=int(sys.argv[1]); print(''.join(f'{i*2:.3f}\thttp://127.0.0.1:$port/envoy.service.ext_proc.v3.ExternalProcessor/Process\n' for i in range(n)), end='')" \
      $((500 * ${phase#*:})) > "$WORK/timing-$port-${phase%:*}.txt"
  done
done

percentiles() { sort -n -k3 "$1" | awk '{a[NR]=$3} END {printf "p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f ms", a[int(NR*0.5)]/1000, a[int(NR*0.9)]/1000, a[int(NR*0.99)]/1000, a[int(NR*0.999)]/1000}'; }
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
H=(-d "$WORK/exchange.bin" -H content-type:application/grpc -H te:trailers -c 4 -m 100)

run() { # name port command...
  local name=$1 port=$2; shift 2
  "$@" > /dev/null 2>&1 &
  pid=$!
  sleep 3
  h2load "${H[@]}" --timing-script-file="$WORK/timing-$port-warm.txt" > /dev/null
  local t0; t0=$(cpu)
  local achieved; achieved=$(h2load "${H[@]}" --timing-script-file="$WORK/timing-$port-run.txt" --log-file="$WORK/$name.log" \
    | awk '/^finished/ {print $4}')
  local t1; t1=$(cpu)
  printf '%-7s h2load   %s req/s  %s  server CPU %d us/request\n' "$name" "$achieved" "$(percentiles "$WORK/$name.log")" \
    $(( (t1 - t0) * 10000 / (500 * 4 * SECONDS_PER_RUN) ))
  $LOADTEST --target "http://127.0.0.1:$port" --rate 2000 --duration "$SECONDS_PER_RUN" --warmup 8 --picker-pid "$pid" \
    | grep -E "^measure|decision latency ms, from scheduled|CPU" | sed 's/^/        LoadTest /'
  kill "$pid"; wait "$pid" 2> /dev/null || true; pid=
}

exec > >(tee "$OUT") # not a pipe into tee: the trap must see the running server's pid
echo "# command: bench/extproc-floor.sh   (ROUNDS=$ROUNDS SECONDS_PER_RUN=$SECONDS_PER_RUN; $(nproc) cores shared by server and h2load; source $(git rev-parse --short HEAD))"
echo "# open loop, 2,000 req/s scheduled in bursts of four, 10 s warm-up per server start; latency = stream opened -> trailers"
for round in $(seq 1 "$ROUNDS"); do
  echo "-- round $round"
  run picker 9002 dotnet services/picker/bin/Release/net10.0/Suite.Picker.dll --pool-file bench/pools/pool-100.yaml
  run floor 9012 dotnet bench/Suite.ExtProc.Floor/bin/Release/net10.0/Suite.ExtProc.Floor.dll
done
