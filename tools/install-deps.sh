#!/usr/bin/env bash
# Installs the Debian packages k2k builds and tests with (plus any named as arguments).
# Idempotent: does nothing when everything is present; uses sudo only when not root.
set -euo pipefail

packages=(
  g++ make cmake ccache pkg-config
  libcaf-dev libboost-dev libyaml-cpp-dev libconcurrentqueue-dev libjemalloc-dev
  catch2 libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
  kcat clang libclang-rt-14-dev # kcat (Debian's, on its own librdkafka 2.0.2) only in scripts
  # tools/install-librdkafka.sh builds the Kafka client library against these
  libssl-dev libsasl2-dev libzstd-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev dpkg-dev
  default-jdk-headless maven python3 # real-broker tests: tools/kafka-cluster
  gdb # the reliability runner prints the stacks of a process that does not stop
  "$@" # extra packages a target needs (make bench: gnuplot-nox)
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
