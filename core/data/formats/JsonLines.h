#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace idgen {

class TextReader;

// Helpers for "JSON lines" dumps (Amazon reviews, Yelp): one object per line.

// True when the line holds `key` as an object key, quoted with " or ' (the 2014 Amazon metadata
// is a Python literal per line). For format detection only.
bool hasJsonKey(std::string_view line, std::string_view key);

// One top-level value picked out of a line.
struct JsonScalar {
    enum class Kind { Missing, Null, Boolean, Integer, Float, String, Composite };
    Kind kind = Kind::Missing;
    std::string text; // String: the value
    std::int64_t integer = 0;
    double number = 0.0;
};

// Picks a few top-level fields out of each line without building a document: review dumps carry
// long texts that nobody here reads, and a DOM per line costs several times the parse itself.
class JsonFieldPicker {
public:
    explicit JsonFieldPicker(std::initializer_list<std::string_view> keys);

    // Parses one line. Syntax errors and lines that are not objects fail at the reader's line.
    void parse(std::string_view line, const TextReader &reader);
    const JsonScalar &operator[](std::size_t index) const { return m_values[index]; }
    // The non-empty string value of field `index`; anything else fails, naming the field.
    std::string_view requireString(std::size_t index, const TextReader &reader) const;
    const std::string &key(std::size_t index) const { return m_keys[index]; }

private:
    class Handler;
    std::vector<std::string> m_keys;
    std::vector<JsonScalar> m_values;
};

// Parses a whole line as one JSON object, failing at the reader's line with a readable message.
nlohmann::ordered_json parseJsonLine(std::string_view line, const TextReader &reader);

// A text field of a parsed record; null or absent gives an empty string, other types fail.
std::string textField(const nlohmann::ordered_json &record, const char *key, const TextReader &reader);
// The non-empty string id under `key`; anything else fails naming the field.
const std::string &requiredId(const nlohmann::ordered_json &record, const char *key, const TextReader &reader);

// Fails at the reader's line, naming the field, when an id is longer than kMaxIdBytes.
void checkIdLength(std::string_view id, std::string_view field, const TextReader &reader);

// nlohmann's parse messages without their "[json.exception...] parse error at line 1," prefix.
std::string describeJsonError(const std::string &what);

} // namespace idgen
