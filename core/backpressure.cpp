#include "core/backpressure.hpp"

namespace k2k::core {

backpressure::action backpressure::decide(uint64_t in_flight, bool paused, clock::time_point now) {
  if (paused)
    return in_flight <= limit_ / 2 ? action::resume : action::consume;
  if (in_flight < limit_) {
    holding_since_.reset();
    return action::consume;
  }
  if (!holding_since_)
    holding_since_ = now;
  if (now - *holding_since_ < hold_limit_)
    return action::hold;
  holding_since_.reset();
  return action::pause;
}

} // namespace k2k::core
