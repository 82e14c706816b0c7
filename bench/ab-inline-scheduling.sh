#!/usr/bin/env bash
# A/B of Picker:InlineSocketScheduling: alternating 15 s runs at 2,000 req/s (1 KB prompts, 100 endpoints), same build.
# Assumes `bench/run.sh` (or a Release build and bench/pools/pool-100.yaml) already exists.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PICKER_DLL=services/picker/bin/Release/net10.0/Suite.Picker.dll
LOADTEST_DLL=bench/Suite.Picker.LoadTest/bin/Release/net10.0/Suite.Picker.LoadTest.dll
for round in 1 2 3; do
  for inline in true false; do
    Picker__InlineSocketScheduling=$inline dotnet "$PICKER_DLL" --pool-file bench/pools/pool-100.yaml > /dev/null 2>&1 &
    pid=$!
    sleep 3
    echo "== round $round, InlineSocketScheduling=$inline"
    dotnet "$LOADTEST_DLL" --target http://127.0.0.1:9002 --picker-pid "$pid" --warmup 10 --rate 2000 --duration 15 --prompt-bytes 1000 \
      | grep -E "decision latency ms, from sched|CPU"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
done
