#!/usr/bin/env bash
# `make bench-workers`: bench/workers.sh (1, 2 and 3 replicator workers on real Kafka), then
# its section of bench/REPORT.md and bench/workers.png.
# Usage: tools/bench-workers-report.sh BUILD_DIR [records] [partitions] [value bytes] [rounds]
set -euo pipefail
build=${1:-build}
shift || true
here=$(cd "$(dirname "$0")/.." && pwd)
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export LC_ALL=C
WORKERS_DAT="$data/workers.dat" "$here/bench/workers.sh" "$build" "$@" | tee "$data/workers.txt"

gnuplot <<GNUPLOT
set terminal pngcairo size 720,420 font ",10"
set output "$here/bench/workers.png"
set title "k2k replicate workers of one pipeline on real Kafka ($(nproc) cores, brokers on the same machine)"
set grid
set key outside bottom center horizontal
set style fill solid 0.6
set boxwidth 0.35
set xlabel "replicator workers"
set ylabel "records/s (steady state)"
set y2label "CPU s per million records"
set ytics nomirror
set y2tics
set xrange [0.5:3.5]
set yrange [0:*]
set y2range [0:*]
set xtics 1
plot "$data/workers.dat" using (\$1-0.18):2 axes x1y1 with boxes title "records/s", \
     "" using (\$1+0.18):3 axes x1y2 with boxes title "CPU s per million records"
GNUPLOT

{
  echo "## Replicator workers on real Kafka: 1, 2 and 3 processes of one pipeline"
  echo
  echo "bench/workers.sh, $(date -u +%Y-%m-%d), $(nproc) cores: two one-broker Kafka clusters"
  echo "(tools/kafka-cluster, Kafka ${K2K_KAFKA_VERSION:-4.4.0}) on this machine, a source topic"
  echo "preloaded with Kafka's producer-perf-test, then per worker count a pipeline of its own"
  echo "copying it all (at-least-once, headers and mappings on). Steady-state rate between 10%"
  echo "and 90% of the topic on target; CPU is the workers' own (utime + stime)."
  echo
  echo '```'
  cat "$data/workers.txt"
  echo '```'
  echo
  echo '![workers](workers.png)'
  echo
  echo "On this machine the brokers, the workers and the load share the same cores: a second or"
  echo "third worker adds partitions-in-parallel, not CPU. On separate machines each worker"
  echo "brings its own cores and connections (docs/operations.md, sizing)."
} >"$data/section.md"
"$here/tools/report-section.sh" workers "$data/section.md"
echo "bench-workers: bench/REPORT.md (section workers) and bench/workers.png written" >&2
