#include "data/formats/FieldParsing.h"

#include "data/formats/DelimitedReader.h"

#include <charconv>
#include <cmath>

namespace idgen {

void splitWhitespace(std::string_view line, std::vector<std::string_view> &tokens)
{
    tokens.clear();
    std::size_t pos = 0;
    while (pos < line.size()) {
        const auto start = line.find_first_not_of(" \t", pos);
        if (start == std::string_view::npos)
            break;
        const auto end = line.find_first_of(" \t", start);
        tokens.push_back(line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        pos = end == std::string_view::npos ? line.size() : end;
    }
}

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
