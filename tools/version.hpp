#pragma once

#include <string>

namespace k2k::tools {

// "k2k X.Y.Z (librdkafka A.B.C, CAF D.E.F)"
std::string version_string();

} // namespace k2k::tools
