#include "data/DatasetBuilder.h"
#include "data/formats/DelimitedReader.h"
#include "data/formats/FieldParsing.h"
#include "data/formats/Formats.h"
#include "data/formats/ImportContext.h"
#include "util/Error.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>

namespace idgen {
namespace {

constexpr std::array<char, 4> kDelimiters = {'\t', ',', ';', '|'};

std::string delimiterName(char delimiter)
{
    return delimiter == '\t' ? "tab" : std::string("'") + delimiter + "'";
}

// The candidate that occurs most often outside quotes in the first line (ties: the earlier
// candidate); 0 when none occurs.
char detectDelimiter(std::string_view line)
{
    std::array<std::size_t, kDelimiters.size()> counts{};
    bool quoted = false;
    for (const char c : line) {
        if (c == '"')
            quoted = !quoted;
        if (quoted)
            continue;
        for (std::size_t d = 0; d < kDelimiters.size(); ++d)
            counts[d] += c == kDelimiters[d] ? 1 : 0;
    }
    const auto best = std::max_element(counts.begin(), counts.end());
    return *best == 0 ? 0 : kDelimiters[static_cast<std::size_t>(best - counts.begin())];
}

bool isColumnNumber(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// A delimited file opened with the user's options: the delimiter, the header (or the first
// record's width when there is none) and column look-up by name or 0-based number.
class Table {
public:
    Table(const std::filesystem::path &path, const CsvOptions &options)
        : m_reader(path, delimiterOf(path, options))
        , m_hasHeader(options.header)
    {
        if (!m_reader.next(m_fields))
            m_reader.fail("", "the file holds no records");
        m_width = m_fields.size();
        m_header.reserve(m_width);
        for (std::size_t c = 0; c < m_width; ++c)
            m_header.emplace_back(m_hasHeader ? std::string(trimmed(m_fields[c])) : std::string());
        m_pending = !m_hasHeader; // without a header the first record is data
    }

    // Resolves a column option; `role` says which option, for messages ("user column").
    std::size_t column(const std::string &wanted, const std::string &role) const
    {
        if (m_hasHeader) {
            const auto it = std::find(m_header.begin(), m_header.end(), wanted);
            if (it != m_header.end())
                return static_cast<std::size_t>(it - m_header.begin());
        }
        if (isColumnNumber(wanted)) {
            const std::size_t number = std::stoul(wanted);
            if (number >= m_width)
                throw InputError(m_reader.fileName(), 1, wanted,
                                 "the " + role + " is column " + wanted + " (0-based), but the file has only " +
                                     std::to_string(m_width) + " columns");
            return number;
        }
        if (!m_hasHeader)
            throw InputError(m_reader.fileName(), 1, wanted,
                             "the file has no header, so the " + role + " must be a 0-based column number, not '" + wanted + "'");
        std::string names;
        for (const auto &name : m_header)
            names += (names.empty() ? "" : ", ") + name;
        throw InputError(m_reader.fileName(), 1, wanted,
                         "no column named '" + wanted + "' (the " + role + "); the header's columns are: " + names);
    }

    // A column's name for messages and item fields: its header name, or column_N.
    std::string name(std::size_t column) const
    {
        return m_header[column].empty() ? "column_" + std::to_string(column) : m_header[column];
    }

    // The next data record, checked against the header's width.
    bool next()
    {
        if (m_pending)
            m_pending = false;
        else if (!m_reader.next(m_fields))
            return false;
        if (m_fields.size() != m_width)
            m_reader.fail("", "expected " + std::to_string(m_width) + " " + delimiterName(m_delimiter) +
                                  "-separated fields (as in the " + (m_hasHeader ? "header" : "first line") +
                                  "), found " + std::to_string(m_fields.size()));
        return true;
    }

    std::string_view operator[](std::size_t column) const { return trimmed(m_fields[column]); }
    std::size_t width() const { return m_width; }
    DelimitedReader &reader() { return m_reader; }

private:
    char delimiterOf(const std::filesystem::path &path, const CsvOptions &options)
    {
        m_delimiter = options.delimiter;
        if (m_delimiter == 0) {
            m_delimiter = detectDelimiter(FileSniff::of(path).firstLine());
            if (m_delimiter == 0)
                throw InputError(path.string(), 1, "",
                                 "cannot tell the delimiter (none of tab , ; | in the first line); give it with --delimiter");
        }
        return m_delimiter;
    }

    char m_delimiter = 0; // set by delimiterOf() before m_reader is built
    DelimitedReader m_reader;
    bool m_hasHeader;
    std::size_t m_width = 0;
    std::vector<std::string> m_header;
    std::vector<std::string_view> m_fields;
    bool m_pending = false;
};

std::optional<std::int64_t> parseTime(std::string_view text, const std::string &format)
{
    if (format.empty())
        return parseTimestamp(text);
    const std::string value(text);
    std::tm tm{};
    const char *end = strptime(value.c_str(), format.c_str(), &tm);
    if (!end || !trimmed(end).empty())
        return std::nullopt;
    // Dates without a zone are taken as UTC, so an import gives the same order on every machine.
    return static_cast<std::int64_t>(timegm(&tm));
}

void readCsvItems(const std::filesystem::path &file, const CsvOptions &options, DatasetBuilder &builder,
                  ImportContext &context)
{
    Table table(file, options);
    const std::size_t id = table.column(options.itemIdColumn, "item id column");
    while (table.next()) {
        context.advance(table.reader().text());
        const auto itemId = table[id];
        if (itemId.empty())
            table.reader().fail(table.name(id), "empty id");
        ItemFields record = ItemFields::object();
        for (std::size_t c = 0; c < table.width(); ++c) {
            if (c != id && !table[c].empty())
                record[table.name(c)] = std::string(table[c]);
        }
        builder.setItemFields(itemId, std::move(record), table.reader().fileName(), table.reader().lineNumber());
    }
}

// Any delimited file, with the column mapping of CsvOptions. The fallback format: it claims
// every delimited file, but with the lowest score.
class CsvFormat final : public Format {
public:
    std::string name() const override { return "csv"; }
    std::string description() const override
    {
        return "any delimited file (tab , ; |), columns chosen with --user-column, --item-column, --time-column";
    }
    int defaultKCore() const override { return 5; }

    int detectInteractions(const FileSniff &file) const override { return looksDelimited(file) ? 5 : 0; }
    int detectItems(const FileSniff &file) const override { return looksDelimited(file) ? 5 : 0; }

    void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        const CsvOptions &options = sources.csv;
        Table table(sources.interactions, options);
        builder.setSource(&table.reader().text());
        const std::size_t user = table.column(options.userColumn, "user column");
        const std::size_t item = table.column(options.itemColumn, "item column");
        std::optional<std::size_t> time;
        if (!options.timeColumn.empty())
            time = table.column(options.timeColumn, "time column");
        while (table.next()) {
            context.advance(table.reader().text());
            if (table[user].empty())
                table.reader().fail(table.name(user), "empty user id");
            if (table[item].empty())
                table.reader().fail(table.name(item), "empty item id");
            std::optional<std::int64_t> timestamp;
            if (time) {
                timestamp = parseTime(table[*time], options.timeFormat);
                if (!timestamp)
                    table.reader().fail(table.name(*time),
                                        "expected " +
                                            (options.timeFormat.empty() ? std::string("a number (epoch seconds)")
                                                                        : "a time in the format '" + options.timeFormat + "'") +
                                            ", got '" + std::string(table[*time]) + "'");
            }
            builder.addInteraction(table[user], table[item], timestamp);
        }
    }

    bool readsItems() const override { return true; }

    void readItems(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        const std::filesystem::path &file = *sources.items;
        readCsvItems(file, sources.csv, builder, context);
    }

private:
    static bool looksDelimited(const FileSniff &file)
    {
        const std::string_view line = trimmed(file.firstLine());
        // JSON is never a delimited file, whatever commas it holds.
        if (line.empty() || line.front() == '{' || line.front() == '[')
            return false;
        return detectDelimiter(line) != 0;
    }
};

} // namespace

std::unique_ptr<Format> makeCsvFormat()
{
    return std::make_unique<CsvFormat>();
}

} // namespace idgen
