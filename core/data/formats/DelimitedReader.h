#pragma once

#include "util/TextReader.h"

#include <string>
#include <string_view>
#include <vector>

namespace idgen {

// Reads delimited records (tab, comma, ...) with RFC 4180 quoting: a field that starts with '"'
// runs to the next '"' that is followed by the delimiter or the end of the record, may hold
// delimiters and newlines, and writes a literal quote as "". Unquoted fields are taken as they are.
class DelimitedReader {
public:
    DelimitedReader(const std::filesystem::path &path, char delimiter,
                    TextReader::Encoding encoding = TextReader::Encoding::Utf8);

    // Next record's fields (views valid until the next call); false at the end. Blank lines are
    // skipped.
    bool next(std::vector<std::string_view> &fields);

    // Line where the current record starts (1-based).
    std::uint64_t lineNumber() const { return m_recordLine; }
    const TextReader &text() const { return m_reader; }
    const std::string &fileName() const { return m_reader.fileName(); }
    [[noreturn]] void fail(const std::string &field, const std::string &problem) const;

private:
    TextReader m_reader;
    char m_delimiter;
    std::uint64_t m_recordLine = 0;
    std::string m_record;   // the raw record, possibly several lines
    std::string m_unquoted; // storage for fields that needed unquoting
    std::vector<std::pair<std::size_t, std::size_t>> m_spans; // into m_unquoted
};

// The text without leading and trailing white space.
std::string_view trimmed(std::string_view text);

} // namespace idgen
