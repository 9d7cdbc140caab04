#!/usr/bin/env bash
# Throughput benchmark for driftlint against ripgrep on the same corpus and
# the same patterns. Prints postings/s and MB/s; no pass/fail threshold.
#
#   bash benches/bench.sh [N]        # N postings, default 100000
#   RUNS=5 bash benches/bench.sh     # rounds, default 3
#
# Each round runs every configuration once, one after another, so a slow
# spell on a shared machine hits all of them alike; the table shows the
# best and the median round of each, and the ratios of driftlint's time
# to ripgrep's (best against best, and round by round).
#
# Needs: the Rust toolchain; ripgrep (apt-get install ripgrep) for the
# comparison; GNU time (/usr/bin/time) for peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
RUNS="${RUNS:-3}"
CORPUS="target/bench-corpus-$N"

cargo build --release --quiet --example gen_corpus
cargo build --release --quiet
BIN=target/release/driftlint

if [ ! -d "$CORPUS" ]; then
  target/release/examples/gen_corpus "$N" "$CORPUS"
fi
BYTES=$(find "$CORPUS" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
MB=$(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b/1e6}')
echo "corpus: $N postings, $MB MB in $CORPUS; $RUNS rounds"
# Warm the page cache so every run reads from memory.
find "$CORPUS" -type f -exec cat {} + >/dev/null
"$BIN" rules --patterns > target/bench-patterns.txt

LABELS=("driftlint, 1 thread" "driftlint, 2 threads")
CMDS=("env RAYON_NUM_THREADS=1 $BIN check $CORPUS --statistics --exit-zero"
      "env RAYON_NUM_THREADS=2 $BIN check $CORPUS --statistics --exit-zero")
if command -v rg >/dev/null; then
  LABELS+=("ripgrep, same patterns, 1t" "ripgrep, same patterns, 2t")
  CMDS+=("rg -j1 --count-matches -f target/bench-patterns.txt $CORPUS"
         "rg -j2 --count-matches -f target/bench-patterns.txt $CORPUS")
else
  echo "ripgrep not installed: apt-get install ripgrep for the comparison"
fi

RESULTS=$(mktemp)
trap 'rm -f "$RESULTS" "$RESULTS.mem"' EXIT
for round in $(seq "$RUNS"); do
  for i in "${!CMDS[@]}"; do
    start=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
      # shellcheck disable=SC2086
      /usr/bin/time -f "%M" -o "$RESULTS.mem" ${CMDS[$i]} >/dev/null 2>/dev/null || true
      mem=$(cat "$RESULTS.mem")
    else
      # shellcheck disable=SC2086
      ${CMDS[$i]} >/dev/null 2>/dev/null || true
      mem=0
    fi
    end=$(date +%s.%N)
    echo "$i $round $(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.2f", e-s}') $mem" >>"$RESULTS"
  done
done

printf '%-28s %8s %8s %12s %9s %10s\n' "" best median postings/s MB/s "peak"
for i in "${!LABELS[@]}"; do
  times=$(awk -v i="$i" '$1 == i { print $3 }' "$RESULTS" | sort -n)
  best=$(echo "$times" | head -n 1)
  median=$(echo "$times" | awk '{ t[NR] = $1 } END { print (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2 }')
  peak=$(awk -v i="$i" '$1 == i && $4 > m { m = $4 } END { print m + 0 }' "$RESULTS")
  awk -v l="${LABELS[$i]}" -v t="$best" -v med="$median" -v n="$N" -v b="$BYTES" -v m="$peak" \
    'BEGIN { printf "%-28s %6.2f s %6.2f s %12.0f %9.1f %7.0f MB\n", l, t, med, n / t, b / 1e6 / t, m / 1024 }'
done
if [ "${#CMDS[@]}" -eq 4 ]; then
  for t in 1 2; do
    awk -v d="$((t - 1))" -v r="$((t + 1))" -v t="$t" -v runs="$RUNS" '
      $1 == d { dl[$2] = $3; if (!bd || $3 < bd) bd = $3 }
      $1 == r { rg[$2] = $3; if (!br || $3 < br) br = $3 }
      END {
        printf "driftlint / ripgrep, %d thread%s: %.2fx best against best; by round:", t, (t > 1 ? "s" : ""), bd / br
        for (k = 1; k <= runs; k++) printf " %.2fx", dl[k] / rg[k]
        printf "\n"
      }' "$RESULTS"
  done
fi
