#!/usr/bin/env bash
# Throughput benchmark for driftlint against ripgrep on the same corpus and
# the same patterns. Prints postings/s and MB/s; no pass/fail threshold.
#
#   bash benches/bench.sh [N]        # N postings, default 100000
#
# Needs: the Rust toolchain; ripgrep (apt-get install ripgrep) for the
# comparison; GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
CORPUS="target/bench-corpus-$N"

cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
BIN=target/release/driftlint

if [ ! -d "$CORPUS" ]; then
  target/release/examples/gen_corpus "$N" "$CORPUS"
fi
BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
MB=$(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b/1e6}')
echo "corpus: $N postings, $MB MB in $CORPUS"
# Warm the page cache so every run reads from memory.
cat $(find "$CORPUS" -type f | head -n 1) >/dev/null
find "$CORPUS" -type f -exec cat {} + >/dev/null

measure() { # label, command...
  local label="$1"; shift
  local start end secs
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%M" -o /tmp/driftlint-bench-mem "$@" >/dev/null 2>/dev/null || true
    mem="$(awk '{printf "%.0f MB", $1/1024}' /tmp/driftlint-bench-mem)"
  else
    "$@" >/dev/null 2>/dev/null || true
    mem="n/a"
  fi
  end=$(date +%s.%N)
  secs=$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", e-s}')
  awk -v l="$label" -v s="$secs" -v n="$N" -v b="$BYTES" -v m="$mem" \
    'BEGIN {printf "%-28s %8.2f s %10.0f postings/s %8.1f MB/s   peak %s\n", l, s, n/s, b/1e6/s, m}'
}

measure "driftlint, 1 thread" env RAYON_NUM_THREADS=1 "$BIN" check "$CORPUS" --statistics --exit-zero
measure "driftlint, 2 threads" env RAYON_NUM_THREADS=2 "$BIN" check "$CORPUS" --statistics --exit-zero
"$BIN" rules --patterns > target/bench-patterns.txt
if command -v rg >/dev/null; then
  measure "ripgrep, same patterns, 1t" rg -j1 --count-matches -f target/bench-patterns.txt "$CORPUS"
  measure "ripgrep, same patterns, 2t" rg -j2 --count-matches -f target/bench-patterns.txt "$CORPUS"
else
  echo "ripgrep not installed: apt-get install ripgrep for the comparison"
fi
