#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace idgen {

// Parses a timestamp written as an integer or a float ("881250949", "1.2e9", "881250949.0").
std::optional<std::int64_t> parseTimestamp(std::string_view text);
// Parses a plain number.
std::optional<double> parseNumber(std::string_view text);

} // namespace idgen
