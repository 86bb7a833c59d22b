#pragma once

#include <string>

namespace idgen {

// The current UTC time as ISO 8601 ("2026-11-23T08:29:30Z"), as stored in project files.
std::string nowIso8601();

} // namespace idgen
