#!/usr/bin/env bash
# Cross-check of the picker's ext_proc latency with a C HTTP/2 client (h2load, Debian package nghttp2-client)
# instead of Suite.Picker.LoadTest, so that the generator's CPU cost barely competes with the picker.
# Each request is one ext_proc stream: request headers + whole 1 KB body (end of stream), then the client
# half-closes; the latency h2load logs runs until the stream's trailers (decision + body streamed back).
# Three measurements: service time one stream at a time, the highest closed-loop throughput, and latency under an
# open-loop schedule (h2load's timing script fires the four connections' requests in the same millisecond, so
# arrivals come in bursts of four: harsher than the load test's evenly spaced ones).
# Needs a Release build (bench/run.sh or dotnet build -c Release of the picker and the load test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v h2load > /dev/null || { echo "h2load not found: apt-get install nghttp2-client" >&2; exit 2; }
PICKER_DLL=services/picker/bin/Release/net10.0/Suite.Picker.dll
LOADTEST_DLL=bench/Suite.Picker.LoadTest/bin/Release/net10.0/Suite.Picker.LoadTest.dll
RESULTS=${RESULTS:-bench/results}
OUT="$RESULTS/h2load-crosscheck.txt"
URL=http://127.0.0.1:9002/envoy.service.ext_proc.v3.ExternalProcessor/Process
WORK=$(mktemp -d)
trap 'kill "$pid" 2> /dev/null || true; rm -rf "$WORK"' EXIT

mkdir -p bench/pools "$RESULTS"
dotnet "$LOADTEST_DLL" --write-pool 100 bench/pools/pool-100.yaml > /dev/null
dotnet "$LOADTEST_DLL" --write-h2load-data "$WORK/exchange.bin" > /dev/null
# Open loop: h2load replays a timing script per connection; one connection keeps up with ~750 req/s only,
# so four connections each get 500 req/s with requests 2 ms apart.
for phase in warm:10 run:30; do
  python3 -c "import sys; n=int(sys.argv[1]); print(''.join(f'{i*2:.3f}\t$URL\n' for i in range(n)), end='')" \
    $((500 * ${phase#*:})) > "$WORK/timing-${phase%:*}.txt"
done

dotnet "$PICKER_DLL" --pool-file bench/pools/pool-100.yaml > /dev/null 2>&1 &
pid=$!
sleep 3
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
percentiles() { sort -n -k3 "$1" | awk '{a[NR]=$3} END {printf "n %d  p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f ms\n", NR, a[int(NR*0.5)]/1000, a[int(NR*0.9)]/1000, a[int(NR*0.99)]/1000, a[int(NR*0.999)]/1000, a[NR]/1000}'; }
H=(-d "$WORK/exchange.bin" -H content-type:application/grpc -H te:trailers)

{
  echo "# command: bench/h2load-crosscheck.sh   ($(nproc) cores shared by picker and h2load, 100 endpoints, 1 KB prompt)"
  h2load -n 20000 -c 1 -m 1 "${H[@]}" "$URL" > /dev/null   # warm-up (JIT, tiered PGO)

  echo "== closed loop, one stream at a time (service time with hot threads)"
  t0=$(cpu); h2load -n 20000 -c 1 -m 1 --log-file="$WORK/closed.log" "${H[@]}" "$URL" | grep -E "^finished|^requests:"; t1=$(cpu)
  percentiles "$WORK/closed.log"
  echo "picker CPU: $(( (t1 - t0) * 10000 / 20000 )) us per request (incl. idle spinning)"

  echo "== closed loop, highest throughput: streams in flight = connections x streams per connection"
  for cm in "2 2" "4 4" "4 16"; do
    set -- $cm
    echo "-- $1 connections x $2 streams, 60,000 requests"
    h2load -n 60000 -c "$1" -m "$2" "${H[@]}" "$URL" | grep -E "^finished|^requests:|^time for request"
  done

  echo "== open loop, 4 connections x 500 req/s (2,000 req/s scheduled) for 30 s after 10 s warm-up"
  h2load -c 4 -m 100 --timing-script-file="$WORK/timing-warm.txt" "${H[@]}" > /dev/null
  t0=$(cpu); h2load -c 4 -m 100 --timing-script-file="$WORK/timing-run.txt" --log-file="$WORK/open.log" "${H[@]}" | grep -E "^finished|^requests:"; t1=$(cpu)
  percentiles "$WORK/open.log"
  echo "picker CPU: $(( (t1 - t0) * 10000 / 60000 )) us per request"
} | tee "$OUT"
