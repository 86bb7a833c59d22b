#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace idgen {

// Parses a timestamp written as an integer or a float ("881250949", "1.2e9", "881250949.0").
std::optional<std::int64_t> parseTimestamp(std::string_view text);
// Splits a line on spaces and tabs into `tokens` (cleared first); views into the line.
void splitWhitespace(std::string_view line, std::vector<std::string_view> &tokens);
// Parses a plain number.
std::optional<double> parseNumber(std::string_view text);

} // namespace idgen
