#!/bin/sh
# Differential fuzzing against CPython 3.11: sh spec/conformance/fuzz/fuzz.sh FIRST_SEED COUNT [cleanup|asyncio-run]
# Generates COUNT programs into $OUT (default /tmp/timeweave-fuzz), runs each with python3 on the
# corpus's virtual-time loop and with timeweave, and lists those whose output differs.
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
MODE=${3:-cleanup}
D=${OUT:-/tmp/timeweave-fuzz}/$1-$MODE
rm -rf "$D"
python3 "$HERE/gen.py" "$1" "$2" "$D" "$ROOT"
if [ "$MODE" = asyncio-run ]; then PYRUN=run_asyncio_run.py; RUN=plain; else PYRUN=run_cleanup.py; RUN=; fi
for py in "$D"/*.py; do python3 "$HERE/$PYRUN" "$py" > "$py.out" 2>/dev/null || echo "PYFAIL $py"; done
(cd "$ROOT" && RUN=$RUN npx tsx spec/conformance/fuzz/run-ts.ts "$D"/*.ts 2>/dev/null)
n=0
for py in "$D"/*.py; do
  b=${py%.py}
  if ! cmp -s "$py.out" "$b.ts.out"; then n=$((n+1)); echo "DIFF $b"; fi
done
echo "$n of $2 differ"
