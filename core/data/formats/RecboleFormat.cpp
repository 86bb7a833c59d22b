#include "data/DatasetBuilder.h"
#include "data/formats/DelimitedReader.h"
#include "data/formats/FieldParsing.h"
#include "data/formats/Formats.h"
#include "data/formats/ImportContext.h"
#include "util/Error.h"
#include "util/PythonLiteral.h"

#include <algorithm>

namespace idgen {
namespace {

// RecBole atomic files: tab-separated, a header of `name:type` fields.
struct Column {
    std::string name;
    std::string type; // token, token_seq, float, float_seq
};

bool isRecboleHeader(std::string_view line)
{
    if (line.find(':') == std::string_view::npos)
        return false;
    std::size_t pos = 0;
    while (pos <= line.size()) {
        const auto end = std::min(line.find('\t', pos), line.size());
        const std::string_view field = line.substr(pos, end - pos);
        const auto colon = field.rfind(':');
        if (colon == std::string_view::npos || colon == 0)
            return false;
        const std::string_view type = field.substr(colon + 1);
        if (type != "token" && type != "token_seq" && type != "float" && type != "float_seq")
            return false;
        pos = end + 1;
    }
    return true;
}

std::vector<Column> readHeader(DelimitedReader &reader)
{
    std::vector<std::string_view> fields;
    if (!reader.next(fields))
        reader.fail("", "file is empty");
    std::vector<Column> columns;
    for (const auto field : fields) {
        const auto colon = field.rfind(':');
        if (colon == std::string_view::npos)
            reader.fail(std::string(field), "header fields must be 'name:type' (e.g. item_id:token)");
        columns.push_back({std::string(field.substr(0, colon)), std::string(field.substr(colon + 1))});
    }
    return columns;
}

int columnIndex(const std::vector<Column> &columns, std::string_view name)
{
    const auto it = std::find_if(columns.begin(), columns.end(), [&](const Column &c) { return c.name == name; });
    return it == columns.end() ? -1 : static_cast<int>(it - columns.begin());
}

void expectWidth(const DelimitedReader &reader, const std::vector<std::string_view> &fields, std::size_t width)
{
    if (fields.size() != width)
        reader.fail("", "expected " + std::to_string(width) + " tab-separated fields, found " +
                            std::to_string(fields.size()));
}

// A token_seq written as a quoted list ('Beauty', 'Makeup', "Women's") becomes an array;
// other token sequences (a movie title) stay text.
nlohmann::ordered_json tokenSequence(std::string_view value)
{
    const std::string_view text = trimmed(value);
    if (!text.empty() && (text.front() == '\'' || text.front() == '"')) {
        try {
            auto parsed = parsePythonLiteral("[" + std::string(text) + "]");
            if (std::all_of(parsed.begin(), parsed.end(), [](const auto &v) { return v.is_string(); }))
                return parsed;
        } catch (const Error &) {
            // Not a list after all: keep the text as given.
        }
    }
    return std::string(text);
}

class RecboleFormat final : public Format {
public:
    std::string name() const override { return "recbole"; }
    std::string description() const override
    {
        return "RecBole atomic files: .inter (+ .item), tab-separated with a 'name:type' header";
    }
    int defaultKCore() const override { return 0; }

    int detectInteractions(const FileSniff &file) const override
    {
        const std::string_view header = file.firstLine();
        if (!isRecboleHeader(header))
            return 0;
        return header.find("user_id:") != std::string_view::npos && header.find("item_id:") != std::string_view::npos ? 90 : 0;
    }

    int detectItems(const FileSniff &file) const override
    {
        const std::string_view header = file.firstLine();
        if (!isRecboleHeader(header) || header.find("item_id:") == std::string_view::npos)
            return 0;
        return header.find("user_id:") == std::string_view::npos ? 90 : 0;
    }

    void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        DelimitedReader reader(sources.interactions, '\t');
        builder.setSource(&reader.text());
        const auto columns = readHeader(reader);
        const int user = columnIndex(columns, "user_id");
        const int item = columnIndex(columns, "item_id");
        const int time = columnIndex(columns, "timestamp");
        if (user < 0 || item < 0)
            reader.fail("", "the header needs user_id and item_id fields");
        std::vector<std::string_view> fields;
        while (reader.next(fields)) {
            context.advance(reader.text());
            expectWidth(reader, fields, columns.size());
            const auto userId = trimmed(fields[static_cast<std::size_t>(user)]);
            const auto itemId = trimmed(fields[static_cast<std::size_t>(item)]);
            if (userId.empty())
                reader.fail("user_id", "empty id");
            if (itemId.empty())
                reader.fail("item_id", "empty id");
            std::optional<std::int64_t> timestamp;
            if (time >= 0) {
                timestamp = parseTimestamp(fields[static_cast<std::size_t>(time)]);
                if (!timestamp)
                    reader.fail("timestamp", "expected a number, got '" +
                                                 std::string(fields[static_cast<std::size_t>(time)]) + "'");
            }
            builder.addInteraction(userId, itemId, timestamp);
        }
    }

    bool readsItems() const override { return true; }

    void readItems(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        const std::filesystem::path &file = *sources.items;
        DelimitedReader reader(file, '\t');
        const auto columns = readHeader(reader);
        const int item = columnIndex(columns, "item_id");
        if (item < 0)
            reader.fail("", "the header needs an item_id field");
        std::vector<std::string_view> fields;
        while (reader.next(fields)) {
            context.advance(reader.text());
            expectWidth(reader, fields, columns.size());
            const auto itemId = trimmed(fields[static_cast<std::size_t>(item)]);
            if (itemId.empty())
                reader.fail("item_id", "empty id");
            ItemFields record = ItemFields::object();
            for (std::size_t c = 0; c < columns.size(); ++c) {
                const std::string_view value = trimmed(fields[c]);
                if (static_cast<int>(c) == item || value.empty())
                    continue;
                const Column &column = columns[c];
                if (column.type == "float") {
                    const auto number = parseNumber(value);
                    if (!number)
                        reader.fail(column.name, "expected a number, got '" + std::string(value) + "'");
                    record[column.name] = *number;
                } else if (column.type == "token_seq") {
                    record[column.name] = tokenSequence(value);
                } else {
                    record[column.name] = std::string(value);
                }
            }
            builder.setItemFields(itemId, std::move(record), reader.fileName(), reader.lineNumber());
        }
    }
};

} // namespace

std::unique_ptr<Format> makeRecboleFormat()
{
    return std::make_unique<RecboleFormat>();
}

} // namespace idgen
