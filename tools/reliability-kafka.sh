#!/usr/bin/env bash
# `make reliability-kafka`: the reliability suite on real Kafka. Starts two 3-broker clusters
# (tools/kafka-cluster) in DIR, runs k2k_reliability on them with the given runner options,
# stops them. When no invariant was violated, the summary (recovery per fault kind included)
# becomes the reliability-kafka section of bench/REPORT.md.
# Usage: tools/reliability-kafka.sh BUILD_DIR DIR [k2k_reliability options...]
set -euo pipefail
build=$1 dir=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
cluster="$here/tools/kafka-cluster"
stop() {
  "$cluster" down --dir "$dir/source" || true
  "$cluster" down --dir "$dir/target" || true
}
trap stop EXIT
"$cluster" up --dir "$dir/source" --name source --brokers 3
"$cluster" up --dir "$dir/target" --name target --brokers 3
status=0
"$build/tests/k2k_reliability" --k2k "$build/k2k" --kafka-cluster "$cluster" \
  --real-source "$dir/source" --real-target "$dir/target" "$@" | tee "$dir/summary.txt" ||
  status=$?
if [ "$status" = 0 ]; then
  {
    echo "## Recovery on real Kafka: the reliability suite's broker faults and scale-out"
    echo
    echo "\`make reliability-kafka\` ($(date -u +%Y-%m-%d), $(nproc) cores, Kafka"
    echo "${K2K_KAFKA_VERSION:-4.4.0}, two 3-broker clusters on this machine; runner options: $*)."
    echo "Longest stall: the longest time without progress from a step's start until replication"
    echo "(the mapping topic's ends) and translation (target commits) both moved again after the"
    echo "step's faults were reverted, the worst over the steps that had the fault (a step may hold"
    echo "two faults; sampled every 100 ms). docs/reliability.md explains each kind."
    echo
    echo '```'
    sed -n '/^scenario  seed/,$p' "$dir/summary.txt" | grep -v '^replay seed'
    echo '```'
  } >"$dir/section.md"
  "$here/tools/report-section.sh" reliability-kafka "$dir/section.md"
  echo "reliability-kafka: summary written to bench/REPORT.md (section reliability-kafka)" >&2
fi
exit "$status"
