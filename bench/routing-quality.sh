#!/usr/bin/env bash
# Routing quality (bench/Suite.Routing.Quality): a model-sim fleet of eight llama-3.1-8b-h100 pods, the collector, the
# catalog and the picker in one process, the program playing the gateway over ext_proc. Each workload (ShareGPT-like
# chat, shared prefixes, multi-LoRA, mixed priority at 2× capacity) is replayed on the same seeded open-loop Poisson
# ramp under each picker strategy (round-robin, random, least-requests, the reference's default scoring re-implemented,
# ours from deploy/examples/picker-profile.yaml, and ours on two replicas), each on a fresh fleet with cold caches.
# Reports TTFT, TPOT, e2e (p50/p90/p99), throughput, prefix-cache hit rate, KV use, shed and errors per QPS step.
#
#   bench/routing-quality.sh            15-second steps, all workloads (+ a 180-s sustained chat step) and strategies; about 55 minutes on 2 cores
#   bench/routing-quality.sh --quick    6-second steps, workloads 1-3, round-robin / reference / ours; about 5 minutes
#   bench/routing-quality.sh --workloads shared-prefix --strategies round-robin,ours    any flags pass through
#
# Results: $RESULTS/routing-quality-full.{md,json,log} and -<workload>-{ttft-p90,throughput}.png (or -quick, or
# -custom when other flags are given, or -$NAME when NAME is set); the .md starts with the exact command and the
# source it was built from. Nothing is left running: everything lives in the one process. Run it alone on the machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULTS=${RESULTS:-bench/results}
NAME_OVERRIDE=${NAME:-}
NAME=full
for arg in "$@"; do
  case "$arg" in
    --quick) [[ "$NAME" == full ]] && NAME=quick ;;
    --out|--source) echo "routing-quality.sh sets $arg itself (RESULTS, NAME and SOURCE change them)" >&2; exit 2 ;;
    *) NAME=custom ;;
  esac
done
NAME=${NAME_OVERRIDE:-$NAME}
PREFIX="$RESULTS/routing-quality-$NAME"
mkdir -p "$RESULTS"

# What is measured is whatever the tree holds when it is built: name the commit and any uncommitted changes to the
# code the program hosts (SOURCE overrides, e.g. for a build from an exported tree).
if [[ -z "${SOURCE:-}" ]]; then
  SOURCE="commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  changed=$(git status --porcelain -- services libs tools deploy/examples/picker-profile.yaml bench/Suite.Routing.Quality 2>/dev/null | awk '{print $2}' | tr '\n' ' ')
  if [[ -n "$changed" ]]; then
    digest=$({ git diff HEAD -- services libs tools deploy/examples/picker-profile.yaml bench/Suite.Routing.Quality; git ls-files --others --exclude-standard -- services libs tools bench/Suite.Routing.Quality | xargs -r cat; } | sha256sum | cut -c1-12)
    SOURCE="$SOURCE, with uncommitted changes (digest $digest): ${changed% }"
  fi
fi

dotnet build bench/Suite.Routing.Quality/Suite.Routing.Quality.csproj -c Release -nologo -v quiet

status=0
dotnet bench/Suite.Routing.Quality/bin/Release/net10.0/Suite.Routing.Quality.dll "$@" --source "$SOURCE" --out "$PREFIX" 2>&1 | tee "$PREFIX.log" || status=$?
echo "results: $PREFIX.md, $PREFIX.json, $PREFIX.log, $PREFIX-*.png (exit $status)"
exit "$status"
