#!/usr/bin/env bash
# `make bench-instructions`: instructions per replicated record of `k2k replicate` against the
# raw consume -> produce loop (bench/mm2/raw_copy.hpp: k2k's client settings, nothing else),
# counted by callgrind on real clusters, with the work of make bench-mm2. Instructions do
# not move with machine noise as rates and CPU seconds do (and this machine's VM exposes no
# hardware counters to perf stat). Writes bench/REPORT.md section "instructions" with where
# k2k's instructions go (callgrind's functions by self cost).
#
# Usage: tools/bench-instructions-report.sh BUILD_DIR [tools, comma-separated]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
tools=${2:-raw,raw-headers,k2k-alo,k2k-eos}
here=$(cd "$(dirname "$0")/.." && pwd)
version=${K2K_MM2_VERSION:-4.3.1}
cluster="$here/tools/kafka-cluster"
sbs="$build/bench/side_by_side"
data=$(mktemp -d /tmp/k2k-instructions-XXXXXX)
export LC_ALL=C
log() { echo "bench-instructions: $(date -u +%H:%M:%S) $*" >&2; }
command -v valgrind >/dev/null || "$here/tools/install-deps.sh" valgrind

tool_pid=
cleanup() {
  [ -n "$tool_pid" ] && kill -KILL "$tool_pid" 2>/dev/null || true
  for d in "$data"/source "$data"/target-*; do
    [ -d "$d" ] && "$cluster" down --dir "$d" >/dev/null 2>&1 || true
  done
  log "logs and callgrind files in $data"
}
trap cleanup EXIT

log "source cluster (Kafka $version) and its work"
source_bootstrap=$("$cluster" up --dir "$data/source" --name source --version "$version" |
  sed -n 's/^SOURCE_BOOTSTRAP=//p')
"$sbs" prepare-source "$source_bootstrap" 2> >(grep -v 'load in progress' >&2)
expected=$("$sbs" count "$source_bootstrap")

for tool in ${tools//,/ }; do
  dir="$data/$tool"
  mkdir -p "$dir"
  target_bootstrap=$("$cluster" up --dir "$data/target-$tool" --name target --version "$version" |
    sed -n 's/^TARGET_BOOTSTRAP=//p')
  "$sbs" prepare-target "$target_bootstrap" 2> >(grep -v 'load in progress' >&2)
  callgrind=(valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out")
  log "$tool: copying $expected records under callgrind"
  case "$tool" in
    raw|raw-headers)
      flags=()
      [ "$tool" = raw-headers ] && flags=(--headers)
      "${callgrind[@]}" "$sbs" raw-copy "$source_bootstrap" "$target_bootstrap" "${flags[@]}" \
        >"$dir/raw.txt" 2>"$dir/valgrind.log"
      ;;
    k2k-alo|k2k-eos)
      eos=disabled
      [ "$tool" = k2k-eos ] && eos=enabled
      cat >"$dir/k2k.yaml" <<YAML
name: sbs-$tool
source: {kafka: {common: {bootstrap.servers: "$source_bootstrap"}}}
target: {kafka: {common: {bootstrap.servers: "$target_bootstrap"}}}
replication:
  - source: {topic: {regex: "sbs\\\\..*"}}
features: {exactlyOnce: $eos}
YAML
      "${callgrind[@]}" "$build/k2k" replicate -c "$dir/k2k.yaml" >"$dir/replicate.log" 2>&1 &
      tool_pid=$!
      "$sbs" watch "$target_bootstrap" "$expected" "$tool_pid" 1800 "$dir/samples.dat" \
        >"$dir/watch.txt" || log "$tool: replication did not complete within 1800 s"
      kill -TERM "$tool_pid"
      wait "$tool_pid" || true
      tool_pid=
      ;;
    *) echo "bench-instructions: unknown tool $tool" >&2; exit 2 ;;
  esac
  "$cluster" down --dir "$data/target-$tool" >/dev/null
  total=$(awk '/^(summary|totals):/ { print $2; exit }' "$dir/callgrind.out")
  echo "$total" >"$dir/instructions.txt"
  callgrind_annotate --threshold=100 "$dir/callgrind.out" >"$dir/functions.txt" 2>/dev/null
  # By library (the [object] each function line ends with), then the 12 costliest functions.
  awk '/file:function/ { on = 1; next }
       on && /\[.*\]$/ { n = $1; gsub(",", "", n); o = $NF; gsub(/[][]/, "", o); sub(/.*\//, "", o); by[o] += n }
       END { for (o in by) printf "%16.0f  %s\n", by[o], o }' "$dir/functions.txt" |
    sort -rn | awk 'NR <= 8' >"$dir/top.txt"
  echo >>"$dir/top.txt"
  awk '/file:function/ { on = 1; next } on && NF >= 2 && shown++ < 12' "$dir/functions.txt" |
    sed 's/ \[[^]]*\]$//' >>"$dir/top.txt"
  log "$tool: $total instructions, $(awk -v t="$total" -v n="$expected" 'BEGIN { printf "%.0f", t / n }') per record"
done

per_record() { awk -v t="$(cat "$data/$1/instructions.txt")" -v n="$expected" 'BEGIN { printf "%.0f", t / n }'; }
{
  echo "## Instructions per replicated record (callgrind, real Kafka)"
  echo
  echo "tools/bench-instructions-report.sh, $(date -u +%Y-%m-%d), commit $(git -C "$here" rev-parse --short HEAD);"
  echo "the work of make bench-mm2 ($expected records of 100 B and 1 KiB over 24 partitions) copied"
  echo "from a one-broker Kafka $version cluster to a fresh one, the copying process run under"
  echo "callgrind from its start to its exit (start-up and shutdown included). raw: the plain"
  echo "consume -> produce loop with k2k's client settings (bench/mm2/raw_copy.hpp); raw-headers:"
  echo "the same loop writing k2k's five tracing headers; k2k: \`k2k replicate\` with default"
  echo "settings (tracing headers, mappings, checkpoints)."
  echo
  echo "| process | instructions | per record | ratio to raw |"
  echo "|---|---|---|---|"
  for tool in ${tools//,/ }; do
    [ -f "$data/$tool/instructions.txt" ] || continue
    ratio=n/a
    [ -f "$data/raw/instructions.txt" ] &&
      ratio=$(awk -v a="$(per_record "$tool")" -v b="$(per_record raw)" 'BEGIN { printf "%.2f", a / b }')
    echo "| $tool | $(cat "$data/$tool/instructions.txt") | $(per_record "$tool") | $ratio |"
  done
  for tool in ${tools//,/ }; do
    [ -f "$data/$tool/top.txt" ] || continue
    echo
    echo "Where $tool's instructions go (self cost by library, then its 12 costliest functions;"
    echo "librdkafka is linked statically, with symbols, so its functions count in the binary's own):"
    echo
    echo '```'
    cat "$data/$tool/top.txt"
    echo '```'
  done
} >"$data/section.md"
"$here/tools/report-section.sh" instructions "$data/section.md"
log "bench/REPORT.md (section instructions) written"
