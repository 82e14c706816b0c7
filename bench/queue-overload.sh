#!/usr/bin/env bash
# The queue's overload check (bench/Suite.Queue.Overload): a model-sim fleet of four 8B pods, the collector, the
# catalog, the queue and one picker per arm in one process; Critical and Sheddable traffic at twice the fleet's
# measured capacity, replayed on the same seeded arrivals with the queue, without it (the picker's local admission),
# without any flow control, and with every request asked of the queue (a diagnostic arm). Reports Critical TTFT,
# shed rates and goodput per arm, and fails (exit 1) if any Critical request was shed.
#
#   bench/queue-overload.sh            60-second arms, four arms; about 6 minutes on 2 cores
#   bench/queue-overload.sh --quick    10-second arms, the three main arms; about 75 seconds
#   bench/queue-overload.sh --arms queue,no-queue --duration 30    any flags of the program pass through
#
# Results: $RESULTS/queue-overload-full.{txt,json,log} (or -quick, or -custom when other flags are given, or
# -$NAME when NAME is set); the .txt starts with the exact command and the source it was built from. Nothing is
# left running: everything lives in the one process. Run it alone on the machine: the fleet, the services and the
# load share the same cores.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

RESULTS=${RESULTS:-bench/results}
NAME_OVERRIDE=${NAME:-}
NAME=full
for arg in "$@"; do
  case "$arg" in
    --quick) [[ "$NAME" == full ]] && NAME=quick ;;
    --out|--source) echo "queue-overload.sh sets $arg itself (RESULTS, NAME and SOURCE change them)" >&2; exit 2 ;;
    *) NAME=custom ;;
  esac
done
NAME=${NAME_OVERRIDE:-$NAME}
PREFIX="$RESULTS/queue-overload-$NAME"
mkdir -p "$RESULTS"

# What is measured is whatever the tree holds when it is built: name the commit and any uncommitted changes to the
# code the program hosts (SOURCE overrides, e.g. for a build from an exported tree).
if [[ -z "${SOURCE:-}" ]]; then
  SOURCE="commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  changed=$(git status --porcelain -- services libs tools bench/Suite.Queue.Overload 2>/dev/null | awk '{print $2}' | tr '\n' ' ')
  if [[ -n "$changed" ]]; then
    digest=$({ git diff HEAD -- services libs tools bench/Suite.Queue.Overload; git ls-files --others --exclude-standard -- services libs tools bench/Suite.Queue.Overload | xargs -r cat; } | sha256sum | cut -c1-12)
    SOURCE="$SOURCE, with uncommitted changes (digest $digest): ${changed% }"
  fi
fi

dotnet build bench/Suite.Queue.Overload/Suite.Queue.Overload.csproj -c Release -nologo -v quiet

status=0
dotnet bench/Suite.Queue.Overload/bin/Release/net10.0/Suite.Queue.Overload.dll "$@" --source "$SOURCE" --out "$PREFIX" 2>&1 | tee "$PREFIX.log" || status=$?
echo "results: $PREFIX.txt, $PREFIX.json, $PREFIX.log (exit $status)"
exit "$status"
