#include "data/formats/DelimitedReader.h"

#include "util/Error.h"
#include "util/InputLimits.h"

namespace idgen {

std::string_view trimmed(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}

DelimitedReader::DelimitedReader(const std::filesystem::path &path, char delimiter, TextReader::Encoding encoding)
    : m_reader(path, encoding)
    , m_delimiter(delimiter)
{
}

void DelimitedReader::fail(const std::string &field, const std::string &problem) const
{
    throw InputError(m_reader.fileName(), m_recordLine, field, problem);
}

bool DelimitedReader::next(std::vector<std::string_view> &fields)
{
    std::string_view line;
    do {
        if (!m_reader.nextLine(line))
            return false;
    } while (trimmed(line).empty());
    m_recordLine = m_reader.lineNumber();
    m_record.assign(line);
    m_unquoted.clear();
    m_spans.clear();

    std::size_t pos = 0;
    for (;;) {
        const std::size_t start = m_unquoted.size();
        if (pos < m_record.size() && m_record[pos] == '"') {
            ++pos;
            for (;;) {
                if (pos >= m_record.size()) {
                    // The quoted field goes on over the next line.
                    if (!m_reader.nextLine(line))
                        fail("", "a quoted field is not closed before the end of the file");
                    m_record.push_back('\n'); // copied into the field by the next pass
                    m_record.append(line);
                    continue;
                }
                if (m_unquoted.size() - start > kMaxTextFieldBytes)
                    fail("column " + std::to_string(m_spans.size() + 1),
                         "quoted field runs past " + byteSizeText(kMaxTextFieldBytes) + " (up to line " +
                             std::to_string(m_reader.lineNumber()) + "); is its closing quote missing?");
                const char c = m_record[pos];
                if (c != '"') {
                    m_unquoted.push_back(c);
                    ++pos;
                } else if (pos + 1 < m_record.size() && m_record[pos + 1] == '"') {
                    m_unquoted.push_back('"');
                    pos += 2;
                } else if (pos + 1 == m_record.size() || m_record[pos + 1] == m_delimiter) {
                    ++pos;
                    break;
                } else {
                    fail("column " + std::to_string(m_spans.size() + 1),
                         "text after the closing quote of a quoted field");
                }
            }
        } else {
            const std::size_t end = m_record.find(m_delimiter, pos);
            const std::size_t stop = end == std::string::npos ? m_record.size() : end;
            m_unquoted.append(m_record, pos, stop - pos);
            pos = stop;
        }
        if (m_unquoted.size() - start > kMaxTextFieldBytes)
            fail("column " + std::to_string(m_spans.size() + 1),
                 "field is " + byteSizeText(m_unquoted.size() - start) + " long, more than the " +
                     byteSizeText(kMaxTextFieldBytes) + " a field may have");
        if (m_spans.size() == kMaxColumns)
            fail("", "more than " + std::to_string(kMaxColumns) + " columns; is the delimiter right?");
        m_spans.emplace_back(start, m_unquoted.size() - start);
        if (pos >= m_record.size())
            break;
        ++pos; // the delimiter
        if (pos == m_record.size()) { // a trailing delimiter ends with an empty field
            m_spans.emplace_back(m_unquoted.size(), 0);
            break;
        }
    }
    fields.clear();
    for (const auto &[offset, length] : m_spans)
        fields.emplace_back(m_unquoted.data() + offset, length);
    return true;
}

} // namespace idgen
