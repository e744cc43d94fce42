// The replicate process's jemalloc settings, chosen once its configuration is known. They
// live in the k2k executable, not in libk2k: a platform that embeds k2k keeps its allocator.
#pragma once

#include <optional>

namespace k2k::tools {

// How long jemalloc keeps freed pages before it returns them (its dirty_decay_ms), for a
// replicator in this mode; nullopt: jemalloc's default (10 s), or what MALLOC_CONF says when
// it is set (`malloc_conf_env`: its value, or nullptr). At-least-once churns librdkafka's
// prefetch through the allocator: 1 s takes a fifth off the replicator's peak memory at the
// same rate and CPU; exactly-once paid 13 % more CPU per record for it (bench/README.md).
std::optional<long> replication_dirty_decay_ms(bool exactly_once, const char* malloc_conf_env);

// Applies replication_dirty_decay_ms to every arena, present and future; a setting jemalloc
// refuses is logged, and the process goes on with its default.
void tune_allocator_for_replication(bool exactly_once);

} // namespace k2k::tools
