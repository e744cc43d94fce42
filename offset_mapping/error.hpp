// k2k::ec as caf::error, so actors return errors as values.
#pragma once

#include "core/error.hpp"

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>

#include <string>

namespace k2k {

inline caf::error make_error(ec code, std::string context) {
  return caf::error{static_cast<uint8_t>(code), caf::atom("k2k"),
                    caf::make_message(std::move(context))};
}

inline caf::error make_error(const error_info& e) {
  return make_error(e.code, e.message);
}

} // namespace k2k
