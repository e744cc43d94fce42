#!/usr/bin/env bash
# Replication throughput with 1, 2 and 3 `k2k replicate` workers of one pipeline on real Kafka:
# two one-broker KRaft clusters (tools/kafka-cluster) on this machine, a source topic preloaded
# with Kafka's own producer-perf-test, then per worker count a pipeline of its own copying it
# all (at-least-once, tracing headers and mappings on). Measured: the steady-state rate (records
# on target between 10% and 90% of the topic over the time between, so start-up and the first
# rebalances weigh little) and the workers' CPU seconds per million records (/proc).
#
# Usage: bench/workers.sh BUILD_DIR [records] [partitions] [value bytes] [rounds]
# Prints one line per run, then the medians and their ratios to 1 worker, and writes
# $WORKERS_DAT (if set) as "workers records/s cpu-s-per-million" lines for plotting.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
records=${2:-3000000}
partitions=${3:-12}
value_bytes=${4:-100}
rounds=${5:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
cluster="$here/tools/kafka-cluster"
k2k="$build/k2k"
export LC_ALL=C

dir=$(mktemp -d /tmp/k2k-workers-bench-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
  "$cluster" down --dir "$dir/source" >/dev/null 2>&1 || true
  "$cluster" down --dir "$dir/target" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
log() { echo "workers-bench: $*" >&2; }

source_bootstrap=$("$cluster" up --dir "$dir/source" --name source | sed -n 's/^SOURCE_BOOTSTRAP=//p')
target_bootstrap=$("$cluster" up --dir "$dir/target" --name target | sed -n 's/^TARGET_BOOTSTRAP=//p')
"$cluster" tool topics --bootstrap-server "$source_bootstrap" --create --topic bench \
  --partitions "$partitions" >/dev/null
log "preloading $records records of $value_bytes bytes into $partitions partitions"
"$cluster" tool producer-perf-test --topic bench --num-records "$records" \
  --record-size "$value_bytes" --throughput -1 \
  --producer-props bootstrap.servers="$source_bootstrap" acks=all linger.ms=5 \
  batch.size=262144 compression.type=none >"$dir/preload.txt"

# Records on target of topic $1 (the sum of its partitions' end offsets; 0 before it exists).
on_target() {
  local args=()
  for ((p = 0; p < partitions; p++)); do args+=(-t "$1:$p:-1"); done
  { kcat -Q -b "$target_bootstrap" "${args[@]}" 2>/dev/null || true; } |
    awk '/ offset /{sum += $NF} END {print sum + 0}'
}
# utime + stime of a process, in seconds.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat" 2>/dev/null || echo 0
}
now() { date +%s.%N; }
calc() { awk "BEGIN {printf \"%.6f\", $1}"; }

: >"$dir/runs.txt"
for round in $(seq 1 "$rounds"); do
  for workers in 1 2 3; do
    name="bench-w$workers-r$round"
    cat >"$dir/$name.yaml" <<EOF
name: $name
source:
  kafka:
    common: {bootstrap.servers: "$source_bootstrap"}
target:
  kafka:
    common: {bootstrap.servers: "$target_bootstrap"}
replication:
  - source: {topic: [bench]}
  - sink: {topic: {prefix: "$name-"}}
offsetMapping: {topic: __k2k_mappings_$name}
EOF
    pids=()
    for ((w = 0; w < workers; w++)); do
      "$k2k" replicate -c "$dir/$name.yaml" --log-level warn >>"$dir/$name-$w.log" 2>&1 &
      pids+=($!)
    done
    t10="" t90=""
    deadline=$(($(date +%s) + 600))
    while :; do
      n=$(on_target "$name-bench")
      t=$(now)
      [ -z "$t10" ] && [ "$n" -ge $((records / 10)) ] && t10=$t n10=$n
      [ -z "$t90" ] && [ "$n" -ge $((records * 9 / 10)) ] && t90=$t n90=$n
      [ "$n" -ge "$records" ] && break
      if [ "$(date +%s)" -gt "$deadline" ]; then
        log "$name: only $n of $records records on target after 600 s (logs: $dir/$name-*.log)"
        exit 1
      fi
      sleep 0.2 # the sampling period of the target's end offsets
    done
    cpu=0
    for p in "${pids[@]}"; do cpu=$(calc "$cpu + $(cpu_seconds "$p")"); done
    for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
    rate=$(calc "($n90 - $n10) / ($t90 - $t10)")
    cpu_per_million=$(calc "$cpu * 1000000 / $records")
    printf "workers %d round %d: %.0f records/s steady, %.2f CPU s per million records\n" \
      "$workers" "$round" "$rate" "$cpu_per_million"
    echo "$workers $rate $cpu_per_million" >>"$dir/runs.txt"
  done
done

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
base=$(awk '$1 == 1 {print $2}' "$dir/runs.txt" | median)
[ -n "${WORKERS_DAT:-}" ] && : >"$WORKERS_DAT"
for workers in 1 2 3; do
  rate=$(awk -v w="$workers" '$1 == w {print $2}' "$dir/runs.txt" | median)
  cpu=$(awk -v w="$workers" '$1 == w {print $3}' "$dir/runs.txt" | median)
  printf "median, %d worker(s): %.0f records/s (%.2fx of 1 worker), %.2f CPU s per million records\n" \
    "$workers" "$rate" "$(calc "$rate / $base")" "$cpu"
  [ -n "${WORKERS_DAT:-}" ] && echo "$workers $rate $cpu" >>"$WORKERS_DAT"
done
echo "machine: $(nproc) cores; the brokers (two JVMs), the workers and this script share them"
