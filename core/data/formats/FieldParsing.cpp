#include "data/formats/FieldParsing.h"

#include "data/formats/DelimitedReader.h"

#include <charconv>
#include <cmath>

namespace idgen {

std::optional<double> parseNumber(std::string_view text)
{
    text = trimmed(text);
    double value = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || result.ec != std::errc() || result.ptr != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> parseTimestamp(std::string_view text)
{
    text = trimmed(text);
    std::int64_t integer = 0;
    const auto result = std::from_chars(text.data(), text.data() + text.size(), integer);
    if (!text.empty() && result.ec == std::errc() && result.ptr == text.data() + text.size())
        return integer;
    const auto real = parseNumber(text);
    if (!real || std::fabs(*real) > 9.0e18)
        return std::nullopt;
    return std::llround(*real);
}

} // namespace idgen
