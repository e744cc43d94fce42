#!/usr/bin/env bash
# End-to-end checks of the k2k binary. Usage: cli_test.sh K2K_BINARY SOURCE_DIR CASE
set -uo pipefail
K2K=$1
SRC=$2
CASE=$3
tmp=$(mktemp -d)
mock_pids="" # every mock cluster process started, stopped at exit (a frozen one thawed first)
trap 'kill -CONT $mock_pids 2>/dev/null; kill $mock_pids 2>/dev/null; rm -rf "$tmp"' EXIT

fail() {
  echo "FAIL: $*" >&2
  kill $(jobs -p) 2>/dev/null # a k2k left running would hold ctest's output pipe open
  exit 1
}

expect_eq() { # expected actual what
  [ "$1" == "$2" ] || fail "$3: expected [$1], got [$2]"
}

# Starts `k2k mock-cluster` in a process of its own with the named clusters of one broker
# each plus the given --topic arguments; exports NAME_BOOTSTRAP for each, sets $mock_pid.
# Clusters started by separate calls can be frozen (SIGSTOP) one without the other.
start_mock_clusters() { # NAME... [--topic SPEC]...
  local clusters=()
  while [ $# -gt 0 ] && [ "$1" != --topic ]; do
    clusters+=(--cluster "$1=1")
    shift
  done
  local out
  out=$(mktemp -u "$tmp/mock.XXXXXX")
  mkfifo "$out"
  "$K2K" mock-cluster "${clusters[@]}" "$@" >"$out" 2>"$out.log" &
  mock_pid=$!
  mock_pids="$mock_pids $mock_pid"
  local fd line i
  exec {fd}<"$out"
  for ((i = 0; i < ${#clusters[@]} / 2; i++)); do
    read -r -t 30 -u "$fd" line || fail "no bootstrap line: $(cat "$out.log")"
    export "${line?}"
  done
  exec {fd}<&-
}

# Source and target in one mock-cluster process.
start_mock() { # [--topic SPEC]...
  start_mock_clusters source target "$@"
}

# Re-reads target orders[$1] (each kcat run stops at the partition's end, committed records
# only) until it holds $2 distinct source offsets; leaves every k2k_offset read, in target
# order, in $tmp/seen.$1.
await_replicated() {
  for attempt in $(seq 1 120); do
    kcat -C -b "$TARGET_BOOTSTRAP" -t orders -p "$1" -o beginning -e -q -f '%h\n' \
      -X isolation.level=read_committed |
      sed -n 's/.*k2k_offset=\([0-9]*\).*/\1/p' >"$tmp/seen.$1"
    [ "$(sort -n -u "$tmp/seen.$1" | wc -l)" -ge "$2" ] && return 0
  done
}

# Produces source offsets 0..9999 to orders[0] and orders[1], starts `k2k replicate` (log in
# $tmp/$1) as $rep and returns once its first mapping is on target (kcat blocks until then).
replicate_until_first_mapping() {
  for p in 0 1; do seq 0 9999 | kcat -P -b "$SOURCE_BOOTSTRAP" -t orders -p $p || fail "produce"; done
  "$K2K" replicate -c "$tmp/pipeline.yaml" 2>"$tmp/$1" &
  rep=$!
  timeout 60 kcat -C -b "$TARGET_BOOTSTRAP" -t __k2k_offset_mappings -o beginning -c 1 -q >/dev/null ||
    fail "no mapping published: $(tail -5 "$tmp/$1")"
}

# The port of the metrics endpoint a k2k log ($1) names (listen port 0: the system's pick).
metrics_port() {
  local port
  port=$(sed -n 's|.*metrics on http://127.0.0.1:\([0-9]*\)/metrics.*|\1|p' "$1")
  [ -n "$port" ] || fail "no metrics line in the log: $(head -5 "$1")"
  echo "$port"
}

# The value of the first series named $2 (any labels, or exactly those given) on the
# /metrics endpoint at 127.0.0.1:$1, read over bash's /dev/tcp.
metric() { # PORT NAME
  exec 3<>"/dev/tcp/127.0.0.1/$1" || fail "no /metrics on port $1"
  printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3
  awk -v name="$2" '$1 == name || index($1, name "{") == 1 { print $2; exit }' <&3
  exec 3<&-
}

# Starts `k2k replicate` ($rep, log $tmp/first.log) with the given shutdownTimeout, freezes
# the target cluster (SIGSTOP) once the first mapping is there, waits until records are in
# flight to it, sends SIGTERM and returns once the stop has begun.
stop_replicate_with_a_frozen_target() { # SHUTDOWN_TIMEOUT
  start_mock_clusters source --topic orders:2
  start_mock_clusters target --topic orders:2 --topic __k2k_offset_mappings:2 # the mock cannot create topics
  target_pid=$mock_pid
  cat >"$tmp/pipeline.yaml" <<YAML
name: frozen-target
source: {kafka: {common: {bootstrap.servers: "\${SOURCE_BOOTSTRAP}"}}}
target: {kafka: {common: {bootstrap.servers: "\${TARGET_BOOTSTRAP}"}}}
replication:
  - source: {topic: [orders]}
offsetMapping: {partitions: 2}
replicator: {shutdownTimeout: $1}
metrics: {listen: "127.0.0.1:0"}
YAML
  replicate_until_first_mapping first.log
  local port
  port=$(metrics_port "$tmp/first.log")
  kill -STOP $target_pid
  for p in 0 1; do seq 10000 19999 | kcat -P -b "$SOURCE_BOOTSTRAP" -t orders -p $p || fail "produce"; done
  local in_flight
  for attempt in $(seq 1 300); do # until records wait for the frozen target
    in_flight=$(metric "$port" k2k_in_flight_records)
    [ "${in_flight:-0}" != 0 ] && break
    sleep 0.1
  done
  [ "${in_flight:-0}" != 0 ] || fail "no record in flight to the frozen target"
  kill -TERM $rep
  await_log_line 30 "signal 15: finishing in-flight records" "$tmp/first.log" ||
    fail "no stop line: $(tail -3 "$tmp/first.log")"
}

# Seconds since the epoch of the first line of $tmp/first.log that holds $1.
log_time() {
  date -d "$(grep -m1 "$1" "$tmp/first.log" | cut -d' ' -f1)" +%s.%N
}

# Waits up to $1 seconds for a line matching $2 in the log $3. tail -F follows the file by
# name: a process just started with `2>log &` may not have created its log yet (tail -f
# then gave up at once and the wait failed with an empty log).
await_log_line() { # SECONDS PATTERN LOG
  timeout "$1" grep -q -m1 "$2" <(tail -F -n +1 "$3" 2>/dev/null)
}

case "$CASE" in
version)
  out=$("$K2K" --version) || fail "--version exited $?"
  # The librdkafka linked is the pinned Debian source package, with SCRAM and OIDC.
  pinned=$(sed -n 's/^LIBRDKAFKA_DEBIAN_VERSION=//p' "$SRC/tools/librdkafka.pin")
  upstream=${pinned%-*}
  first=$(head -1 <<<"$out")
  [[ "$first" =~ ^k2k\ [0-9]+\.[0-9]+\.[0-9]+\ "(librdkafka $upstream from Debian's source package $pinned, CAF 0.17.6)"$ ]] ||
    fail "unexpected version line: $first (pin: $pinned)"
  for feature in ssl sasl_scram sasl_oauthbearer oidc zstd lz4; do
    grep -q "^librdkafka features: .*\b$feature\b" <<<"$out" || fail "librdkafka lacks $feature: $out"
  done
  ;;
help)
  for cmd in replicate offset-mapping migrate validate demo mock-cluster; do
    out=$("$K2K" "$cmd" --help) || fail "$cmd --help exited $?"
    grep -q -- '--config' <<<"$out" || fail "$cmd --help lacks --config"
    grep -q -- '--log-level' <<<"$out" || fail "$cmd --help lacks --log-level"
  done
  ;;
unknown_command)
  "$K2K" frobnicate >"$tmp/out" 2>&1 && fail "unknown command exited 0"
  grep -q "frobnicate" "$tmp/out" || fail "error does not name the command: $(cat "$tmp/out")"
  ;;
bad_log_level)
  "$K2K" validate -c "$SRC/config/examples/dr-failover.yaml" --log-level loud 2>"$tmp/err" &&
    fail "bad log level exited 0"
  grep -q 'found "loud"' "$tmp/err" || fail "unexpected: $(cat "$tmp/err")"
  ;;
validate_ok)
  SOURCE_BOOTSTRAP=src:9092 "$K2K" validate -c "$SRC/config/examples/dr-failover.yaml" >"$tmp/out" ||
    fail "validate exited $?"
  grep -q '^name: orders-dr$' "$tmp/out" || fail "effective config lacks the name"
  grep -q 'bootstrap.servers: src:9092' "$tmp/out" || fail "env not substituted"
  ;;
validate_secrets)
  TARGET_PASSWORD=hunter2 "$K2K" validate -c "$SRC/config/examples/sasl-ssl.yaml" >"$tmp/out" 2>&1 ||
    fail "validate exited $?"
  grep -q hunter2 "$tmp/out" && fail "secret printed"
  grep -q 'sasl.password: "\*\*\*"' "$tmp/out" || fail "secret not masked as ***"
  # OIDC (librdkafka with libcurl): the client secret is masked too.
  TARGET_CLIENT_SECRET=hunter3 "$K2K" validate -c "$SRC/config/examples/oidc.yaml" >"$tmp/out" 2>&1 ||
    fail "validate of the OIDC example exited $?: $(cat "$tmp/out")"
  grep -q hunter3 "$tmp/out" && fail "OIDC client secret printed"
  grep -q 'sasl.oauthbearer.client.secret: "\*\*\*"' "$tmp/out" || fail "OIDC secret not masked as ***"
  grep -q 'sasl.oauthbearer.method: oidc' "$tmp/out" || fail "OIDC method not in the effective config"
  ;;
validate_broken)
  f="$SRC/config/examples/broken.yaml"
  "$K2K" validate -c "$f" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  [ $rc -ne 0 ] || fail "broken config exited 0"
  [ -s "$tmp/out" ] && fail "broken config printed a config"
  expect_eq 6 "$(wc -l <"$tmp/err")" "error lines"
  grep -qF "$f:18:3: features.exactlyOnc: unknown key, did you mean \"exactlyOnce\"?" "$tmp/err" ||
    fail "unknown key line missing: $(cat "$tmp/err")"
  grep -qF "$f: 5 problems" "$tmp/err" || fail "summary line missing"
  ;;
migrate)
  # The whole flow with real processes: replicate, an application consumes 40 records on
  # source and stops, k2k migrate moves its group, the application resumes on target.
  start_mock --topic orders:1
  cat >"$tmp/pipeline.yaml" <<'YAML'
name: cli-migrate
source: {kafka: {common: {bootstrap.servers: "${SOURCE_BOOTSTRAP}"}}}
target: {kafka: {common: {bootstrap.servers: "${TARGET_BOOTSTRAP}"}}}
replication:
  - source: {topic: [orders]}
features: {offsetMapping: disabled}
metrics: {listen: "127.0.0.1:0"}
YAML
  printf 'prior\n' | kcat -P -b "$TARGET_BOOTSTRAP" -t orders -p 0 || fail "produce"
  seq 0 99 | kcat -P -b "$SOURCE_BOOTSTRAP" -t orders -p 0 || fail "produce"
  "$K2K" replicate -c "$tmp/pipeline.yaml" 2>"$tmp/replicate.log" &
  rep=$!
  for attempt in $(seq 1 60); do # each kcat run reads the partition to its end
    n=$(kcat -C -b "$TARGET_BOOTSTRAP" -t orders -p 0 -o beginning -e -q | wc -l)
    [ "$n" -ge 101 ] && break
  done
  expect_eq 101 "$n" "records on target after replication"
  # The process serves its figures (port 0: the log line names the port it got).
  port=$(metrics_port "$tmp/replicate.log")
  for attempt in $(seq 1 200); do # the status refreshes every 100 ms, so ask again
    copied=$(metric "$port" 'k2k_replicated_records_total{pipeline="cli-migrate"}')
    [ "$copied" == 100 ] && break
  done
  expect_eq 100 "$copied" "records counted on /metrics"
  kill -TERM $rep
  wait $rep
  kcat -C -b "$SOURCE_BOOTSTRAP" -G app -X auto.offset.reset=earliest -c 40 -q orders >/dev/null ||
    fail "source application"
  m=("$K2K" migrate -c "$tmp/pipeline.yaml" --group app --log-level warn)
  "${m[@]}" >"$tmp/out" 2>"$tmp/err" && fail "migrate without --confirm-stopped exited 0 on the mock"
  grep -q -- "--confirm-stopped" "$tmp/err" || fail "unclear refusal: $(cat "$tmp/err")"
  "${m[@]}" --confirm-stopped --settle-interval 200ms --dry-run >"$tmp/out" 2>"$tmp/err" ||
    fail "dry run exited $?: $(cat "$tmp/err")"
  grep -qE '^orders +0 +40 +orders +41 +exact +ready' "$tmp/out" || fail "table: $(cat "$tmp/out")"
  grep -q '^dry run: nothing committed$' "$tmp/out" || fail "dry run not said: $(cat "$tmp/out")"
  "${m[@]}" --confirm-stopped --settle-interval 200ms --json >"$tmp/out" 2>"$tmp/err" ||
    fail "migrate exited $?: $(cat "$tmp/err")"
  grep -q '"committed": true' "$tmp/out" || fail "json: $(cat "$tmp/out")"
  grep -q '"target_offset": 41' "$tmp/out" || fail "json: $(cat "$tmp/out")"
  # The application resumes on target with the record it had not read yet.
  got=$(kcat -C -b "$TARGET_BOOTSTRAP" -G app -c 1 -q -f '%s %h\n' orders) || fail "target application"
  [[ "$got" == "40 "*"k2k_offset=40"* ]] || fail "resumed at [$got], expected source record 40"
  ;;
offset_mapping_alias)
  alias="$(dirname "$K2K")/k2k-offset-mapping"
  [ -L "$alias" ] || fail "no k2k-offset-mapping next to k2k"
  "$alias" --help | grep -q "offset-mapping" || fail "alias does not run offset-mapping"
  "$alias" >"$tmp/out" 2>&1 && fail "offset-mapping without --config exited 0"
  grep -q -- "--config is required" "$tmp/out" || fail "unclear: $(cat "$tmp/out")"
  ;;
mock_cluster_kcat)
  command -v kcat >/dev/null || fail "kcat not installed (make test installs it)"
  coproc MOCK { exec "$K2K" mock-cluster --cluster source=1 --cluster target=2 \
    --topic orders:2 --topic target/audit:3 2>"$tmp/log"; }
  pid=$MOCK_PID
  read -r -t 30 -u "${MOCK[0]}" first || fail "no bootstrap line: $(cat "$tmp/log")"
  read -r -t 30 -u "${MOCK[0]}" second || fail "no second bootstrap line"
  [[ "$first" =~ ^SOURCE_BOOTSTRAP=([0-9.:,]+)$ ]] || fail "bad line: $first"
  src=${BASH_REMATCH[1]}
  [[ "$second" =~ ^TARGET_BOOTSTRAP=([0-9.:,]+)$ ]] || fail "bad line: $second"
  tgt=${BASH_REMATCH[1]}

  printf 'a\nb\nc\n' | kcat -P -b "$src" -t orders -p 1 || fail "kcat produce failed"
  got=$(kcat -C -b "$src" -t orders -p 1 -o beginning -e -q) || fail "kcat consume failed"
  expect_eq $'a\nb\nc' "$got" "records read back"
  kcat -L -b "$tgt" -t audit | grep -q '3 partitions' || fail "audit not pre-created on target"
  kcat -L -b "$src" -t audit | grep -q '3 partitions' && fail "audit created on source too"

  kill -TERM "$pid"
  wait "$pid"
  expect_eq 0 $? "exit code after SIGTERM"
  ;;
demo)
  "$K2K" demo --duration 3 --log-level warn >"$tmp/out" 2>"$tmp/err" || fail "demo exited $?: $(tail -5 "$tmp/out") $(tail -5 "$tmp/err")"
  grep -q ' exact' "$tmp/out" || fail "no exact row in the table"
  for g in billing analytics audit; do
    grep -qE "^group $g resumed on target with 0 duplicates and 0 skipped records \([1-9][0-9]* records read\)$" "$tmp/out" ||
      fail "group $g did not resume exactly: $(grep "group $g" "$tmp/out")"
  done
  grep -q '^  audit orders\[0\]: source [0-9]* -> target [0-9]*' "$tmp/out" || fail "no migration rows"
  grep -q '^demo: every translated commit exact, every group resumed exactly$' "$tmp/out" ||
    fail "no final verdict: $(tail -3 "$tmp/out")"
  ;;
replicate_kill9)
  # kill -9 of the replicator process mid-stream, then a restart: nothing is lost.
  start_mock --topic orders:2 --topic target/__k2k_offset_mappings:2
  cat >"$tmp/pipeline.yaml" <<'YAML'
name: kill9
source: {kafka: {common: {bootstrap.servers: "${SOURCE_BOOTSTRAP}"}, consumer: {session.timeout.ms: "6000", max.poll.interval.ms: "8000"}}}
target: {kafka: {common: {bootstrap.servers: "${TARGET_BOOTSTRAP}"}}}
replication:
  - source: {topic: [orders]}
offsetMapping: {partitions: 2}
replicator: {batchSize: 100, reportInterval: 1s}
YAML
  # A member killed with -9 never leaves the group: the mock holds the next rebalance for
  # max.poll.interval.ms (8 s here), so the restart takes that long to get its partitions.
  replicate_until_first_mapping first.log
  kill -9 $rep
  wait $rep 2>/dev/null
  # More records arrive while it is down: the restart must resume from its checkpoint.
  for p in 0 1; do seq 10000 19999 | kcat -P -b "$SOURCE_BOOTSTRAP" -t orders -p $p || fail "produce"; done
  "$K2K" replicate -c "$tmp/pipeline.yaml" 2>"$tmp/second.log" &
  rep=$!
  for p in 0 1; do
    await_replicated $p 20000
    sort -n -u "$tmp/seen.$p" >"$tmp/distinct.$p"
    expect_eq 20000 "$(wc -l <"$tmp/distinct.$p")" "distinct source offsets of orders[$p] on target"
    expect_eq "0 19999" "$(head -1 "$tmp/distinct.$p") $(tail -1 "$tmp/distinct.$p")" "offset range of orders[$p]"
  done
  kill -TERM $rep
  wait $rep
  expect_eq 0 $? "exit code of the restarted replicator after SIGTERM"
  grep -q "resumes at" "$tmp/second.log" || fail "the restart did not resume from a checkpoint"
  ;;
replicate_sigterm_eos)
  # SIGTERM mid-stream in exactly-once mode: the process finishes its open transactions and
  # exits 0; the restart resumes from the checkpoint; nothing is missing or written twice.
  start_mock --topic orders:2 --topic target/__k2k_offset_mappings:2
  cat >"$tmp/pipeline.yaml" <<'YAML'
name: sigterm
source: {kafka: {common: {bootstrap.servers: "${SOURCE_BOOTSTRAP}"}, consumer: {session.timeout.ms: "6000"}}}
target: {kafka: {common: {bootstrap.servers: "${TARGET_BOOTSTRAP}"}}}
replication:
  - source: {topic: [orders]}
features: {exactlyOnce: enabled}
offsetMapping: {partitions: 2}
replicator: {batchSize: 200, shutdownTimeout: 20s}
metrics: {listen: "127.0.0.1:0"}
YAML
  replicate_until_first_mapping first.log
  kill -TERM $rep
  wait $rep
  expect_eq 0 $? "exit code after SIGTERM mid-stream"
  grep -q "signal 15: finishing in-flight records" "$tmp/first.log" || fail "no stop line"
  for p in 0 1; do seq 10000 14999 | kcat -P -b "$SOURCE_BOOTSTRAP" -t orders -p $p || fail "produce"; done
  "$K2K" replicate -c "$tmp/pipeline.yaml" 2>"$tmp/second.log" &
  rep=$!
  for p in 0 1; do
    await_replicated $p 15000
    expect_eq 15000 "$(sort -n -u "$tmp/seen.$p" | wc -l)" "distinct source offsets of orders[$p]"
    expect_eq 15000 "$(wc -l <"$tmp/seen.$p")" "records on orders[$p] (no duplicates)"
  done
  kill -TERM $rep
  wait $rep
  expect_eq 0 $? "exit code of the restarted replicator after SIGTERM"
  ;;
replicate_second_sigterm)
  # SIGTERM starts a clean stop, which waits up to shutdownTimeout (60 s here) for the records
  # in flight to a target that does not answer. A second SIGTERM ends the process at once
  # with 128 + 15, as kill -9 would: the operator does not wait out the timeout.
  stop_replicate_with_a_frozen_target 60s
  kill -TERM $rep # the first is taken: this one is not merged with it
  wait $rep
  expect_eq 143 $? "exit code after a second SIGTERM"
  grep -q "signal 15 again: exiting at once" "$tmp/first.log" ||
    fail "no line for the second signal: $(tail -3 "$tmp/first.log")"
  ;;
replicate_stop_deadline)
  # The stop waits for a target that does not answer once: the revoke of the consumer close
  # drains within the same shutdownTimeout, not a second one (it did: 2 x 10 s here).
  stop_replicate_with_a_frozen_target 10s
  wait $rep
  expect_eq 0 $? "exit code after SIGTERM (what was in flight is copied again on restart)"
  expect_eq 1 "$(grep -c "still had records in flight" "$tmp/first.log")" \
    "drain time-outs logged"
  took=$(awk "BEGIN { print $(log_time "stopped after") - $(log_time "signal 15: finishing") }")
  awk "BEGIN { exit !($took < 18) }" || fail "the stop took $took s with a 10 s shutdownTimeout"
  ;;
offset_mapping_sigterm)
  # The offset-mapping process: serves /health once its mapping partitions are read, stops on
  # SIGTERM (leaves its group, stops its actors) and exits 0.
  start_mock --topic orders:1 --topic target/__k2k_offset_mappings:1
  cat >"$tmp/pipeline.yaml" <<'YAML'
name: om-sigterm
source: {kafka: {common: {bootstrap.servers: "${SOURCE_BOOTSTRAP}"}}}
target: {kafka: {common: {bootstrap.servers: "${TARGET_BOOTSTRAP}"}}}
replication:
  - source: {topic: [orders]}
offsetMapping: {partitions: 1}
groups: {consumerGroups: [app], pollInterval: 250ms}
metrics: {listen: "127.0.0.1:0"}
YAML
  "$K2K" offset-mapping -c "$tmp/pipeline.yaml" 2>"$tmp/om.log" &
  om=$!
  await_log_line 60 "assigned 1 mapping partition" "$tmp/om.log" ||
    fail "no mapping partition assigned: $(cat "$tmp/om.log")"
  port=$(metrics_port "$tmp/om.log")
  exec 3<>"/dev/tcp/127.0.0.1/$port" || fail "no /health on port $port"
  printf 'GET /health HTTP/1.0\r\n\r\n' >&3
  head -1 <&3 | grep -q "200 OK" || fail "/health is not 200 once the mapping partition is read"
  exec 3<&-
  kill -TERM $om
  wait $om
  expect_eq 0 $? "exit code of offset-mapping after SIGTERM"
  grep -q "signal 15: stopping" "$tmp/om.log" || fail "no stop line: $(tail -3 "$tmp/om.log")"
  ;;
secrets_not_logged)
  # SASL settings pass through to librdkafka (the mock cannot do SASL, so the handshake fails
  # and is logged over and over); with librdkafka's config debugging on and k2k at debug
  # level, the password appears nowhere in the log.
  start_mock --topic orders:1
  cat >"$tmp/pipeline.yaml" <<'YAML'
name: secrets
source: {kafka: {common: {bootstrap.servers: "${SOURCE_BOOTSTRAP}", security.protocol: SASL_PLAINTEXT, sasl.mechanisms: PLAIN, sasl.username: alice, sasl.password: "${K2K_SECRET}", debug: "conf,security"}}}
target: {kafka: {common: {bootstrap.servers: "${TARGET_BOOTSTRAP}", security.protocol: SASL_PLAINTEXT, sasl.mechanisms: PLAIN, sasl.username: alice, sasl.password: "${K2K_SECRET}", debug: "conf,security"}}}
replication:
  - source: {topic: [orders]}
features: {offsetMapping: disabled}
replicator: {shutdownTimeout: 2s}
metrics: {listen: "127.0.0.1:0"}
YAML
  K2K_SECRET=hunter2-s3cret "$K2K" replicate -c "$tmp/pipeline.yaml" --log-level debug 2>"$tmp/rep.log" &
  rep=$!
  await_log_line 30 "Failed to initialize SASL authentication" "$tmp/rep.log" ||
    fail "no SASL attempt logged"
  kill -TERM $rep
  wait $rep
  grep -q "sasl.password = \[redacted\]" "$tmp/rep.log" || fail "librdkafka config not logged"
  grep -q "hunter2" "$tmp/rep.log" && fail "the password is in the log: $(grep hunter2 "$tmp/rep.log" | head -3)"
  ;;
test_names)
  # CTest splits a Catch test name at ';' and then runs a filter that matches nothing, which
  # passes silently: no test name may contain one.
  if grep -rn --include='*.cpp' -A1 'TEST_CASE(' "$SRC/tests" | grep -E '(TEST_CASE\(|-[0-9]+-\s*)"[^"]*;[^"]*"' >"$tmp/out"; then
    fail "test names with ';': $(cat "$tmp/out")"
  fi
  ;;
mock_cluster_bad_args)
  "$K2K" mock-cluster --cluster source >"$tmp/out" 2>&1 && fail "bad --cluster accepted"
  grep -q 'expected NAME=BROKERS' "$tmp/out" || fail "unclear: $(cat "$tmp/out")"
  "$K2K" mock-cluster --topic nowhere/t:1 >"$tmp/out" 2>&1 && fail "unknown cluster accepted"
  grep -q 'no cluster named "nowhere"' "$tmp/out" || fail "unclear: $(cat "$tmp/out")"
  ;;
*)
  fail "unknown case $CASE"
  ;;
esac
echo "ok: $CASE"
