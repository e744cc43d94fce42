# The README's commands. Each installs missing Debian packages, configures and builds.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

.PHONY: all deps configure build test test-broker-faults demo fuzz bench bench-workers bench-groups bench-mm2 bench-instructions reliability reliability-kafka clean

all: build

deps:
	@tools/install-deps.sh
	@tools/install-librdkafka.sh >/dev/null

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) > /dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# CTest, then every fuzz target briefly (the corpus replays are CTest tests too). The brief
# run is reproducible: a fixed seed and a fixed number of inputs, not a time limit.
test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 300 -LE broker-faults
	@$(MAKE) --no-print-directory fuzz FUZZ_LIMIT="-runs=20000 -seed=1"

# Broker faults on real 3-broker clusters (docs/reliability.md); not yet part of `make test`.
test-broker-faults: build
	@cd $(BUILD) && ctest --output-on-failure --timeout 900 -L broker-faults

demo: build
	@$(BUILD)/k2k demo

# Every benchmark once, then bench/REPORT.md with ratios from that run and PNG plots.
bench: build
	@tools/install-deps.sh gnuplot-nox
	@tools/bench-report.sh $(BUILD)

# Replication throughput and CPU with 1, 2 and 3 replicator workers on real Kafka (its section
# of bench/REPORT.md and bench/workers.png); `make bench` runs it too.
bench-workers: build
	@tools/install-deps.sh gnuplot-nox
	@tools/bench-workers-report.sh $(BUILD)

# Thousands of consumer groups on one offset-mapping worker, per-group clients against the
# shared helper, on mock clusters and on real Kafka (its section of bench/REPORT.md and
# bench/groups.png).
bench-groups: build
	@tools/install-deps.sh gnuplot-nox
	@tools/bench-groups-report.sh $(BUILD)

# k2k against Apache Kafka's MirrorMaker 2 on the same real clusters and work: throughput,
# CPU and RSS, precision per group lag, commit latency (its section of bench/REPORT.md and
# bench/mm2-*.png; about 20 minutes, most of it MM2's one-minute sync intervals).
bench-mm2: build
	@tools/install-deps.sh gnuplot-nox
	@tools/bench-mm2-report.sh $(BUILD)

# Instructions per replicated record of `k2k replicate` against the raw loop, under callgrind on
# real Kafka (its section of bench/REPORT.md); `make bench` runs it too.
bench-instructions: build
	@tools/install-deps.sh valgrind
	@tools/bench-instructions-report.sh $(BUILD)

# Seeded fault-injection scenarios over the real processes (docs/reliability.md): a new random
# seed each run unless RELIABILITY_SEED is given; every scenario's seed is printed for replay.
RELIABILITY_SCENARIOS ?= 8
RELIABILITY_STEPS ?= 10
RELIABILITY_MINUTES ?= 30
RELIABILITY_SEED ?=
reliability: build
	@$(BUILD)/tests/k2k_reliability --k2k $(BUILD)/k2k --scenarios $(RELIABILITY_SCENARIOS) \
	  --steps $(RELIABILITY_STEPS) --max-minutes $(RELIABILITY_MINUTES) \
	  $(if $(RELIABILITY_SEED),--seed $(RELIABILITY_SEED))

# The same on real Kafka: two 3-broker clusters started here (tools/kafka-cluster) and stopped
# after; broker faults (leaders killed and paused, the controller killed, rolling restarts)
# mixed with the process faults and scale-out. With no violation its summary becomes a section
# of bench/REPORT.md.
RELIABILITY_KAFKA_DIR ?= $(BUILD)/reliability-kafka
reliability-kafka: build
	@tools/reliability-kafka.sh $(BUILD) $(RELIABILITY_KAFKA_DIR) --scenarios $(RELIABILITY_SCENARIOS) \
	  --steps $(RELIABILITY_STEPS) --max-minutes $(RELIABILITY_MINUTES) \
	  $(if $(RELIABILITY_SEED),--seed $(RELIABILITY_SEED))

# libFuzzer over tests/fuzz (clang): each target FUZZ_SECONDS (or FUZZ_LIMIT), starting from its checked-in
# corpus; new interesting inputs land in $(FUZZ_BUILD)/corpus, crashes in $(FUZZ_BUILD).
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_LIMIT ?= -max_total_time=$(FUZZ_SECONDS)
FUZZ_TARGETS = mapping_record guard_metadata tracing_header config consumer_offsets group_offsets_wire
fuzz: deps
	@cmake -S . -B $(FUZZ_BUILD) -DK2K_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t; \
	  echo "fuzz $$t: $(FUZZ_LIMIT)"; \
	  (cd $(FUZZ_BUILD) && ./fuzz_$$t $(FUZZ_LIMIT) -print_final_stats=1 \
	    -artifact_prefix=$$t- corpus/$$t $(CURDIR)/tests/fuzz/corpus/$$t >fuzz-$$t.log 2>&1) || \
	    { tail -40 $(FUZZ_BUILD)/fuzz-$$t.log; echo "fuzz $$t FAILED: add the input to tests/fuzz/corpus/$$t"; exit 1; }; \
	  grep -E "^stat::(number_of_executed_units|new_units_added)" $(FUZZ_BUILD)/fuzz-$$t.log; \
	done

clean:
	rm -rf $(BUILD) $(FUZZ_BUILD)
