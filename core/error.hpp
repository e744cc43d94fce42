// The project's error codes and the one error convention below the actors (docs/architecture.md).
// Pure so core/ can use them; the actors wrap them in
// caf::error (offset_mapping/error.hpp).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>

namespace k2k {

enum class ec : uint8_t {
  unspecified = 1,
  malformed_mapping, // a mapping record that cannot be decoded
  unknown_version,   // a record (mapping, __consumer_offsets) of a version this build does not know
  invalid_config,    // configuration rejected
  kafka_error,       // librdkafka reported an error
  not_supported,     // the cluster lacks an API (e.g. the mock's missing admin calls)
  active_group,      // target group has live members
  shutting_down,     // the actor system is stopping
  timed_out,         // no answer in time; what was asked may or may not have happened
  malformed_record,  // a Kafka-internal record (__consumer_offsets) that cannot be decoded
};

const char* to_string(ec code);

struct error_info {
  ec code = ec::unspecified;
  std::string message;
};

// A value or an error; core/ cannot use caf::expected (no CAF here).
template <class T> class result {
public:
  result(T value) : v_(std::move(value)) {}
  result(error_info e) : v_(std::move(e)) {}

  explicit operator bool() const { return v_.index() == 0; }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  const error_info& error() const { return std::get<1>(v_); }
  // For code with nobody to hand an error to (tests, benches, the demo's own checks): the
  // value, or std::runtime_error with the error's message.
  const T& value_or_throw() const {
    if (!*this)
      throw std::runtime_error(error().message);
    return value();
  }

private:
  std::variant<T, error_info> v_;
};

} // namespace k2k
