#include "data/DatasetBuilder.h"
#include "data/formats/DelimitedReader.h"
#include "data/formats/FieldParsing.h"
#include "data/formats/Formats.h"
#include "data/formats/ImportContext.h"
#include "data/formats/JsonLines.h"
#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/PythonLiteral.h"
#include "util/TextReader.h"

#include <algorithm>
#include <cmath>

namespace idgen {
namespace {

using Json = nlohmann::ordered_json;

// The review timestamp: an integer in both dumps; tolerate a float or a numeric string.
std::int64_t reviewTime(const JsonScalar &value, const TextReader &reader)
{
    switch (value.kind) {
    case JsonScalar::Kind::Missing:
        reader.fail("unixReviewTime", "missing");
    case JsonScalar::Kind::Integer:
        return value.integer;
    case JsonScalar::Kind::Float:
        if (std::isfinite(value.number) && std::fabs(value.number) < 9.0e18)
            return std::llround(value.number);
        break;
    case JsonScalar::Kind::String:
        if (const auto parsed = parseTimestamp(value.text))
            return *parsed;
        break;
    default:
        break;
    }
    reader.fail("unixReviewTime", "expected seconds since 1970 as a number");
}

// One metadata line: strict JSON (2018, and hand-made files), else a Python literal (2014).
Json parseMetadataLine(std::string_view line, const TextReader &reader)
{
    const std::string_view text = trimmed(line);
    if (text.starts_with("{\"")) {
        const auto limitDepth = [&](int depth, Json::parse_event_t, Json &) {
            if (depth > kMaxNestingDepth)
                reader.fail("", "values nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
            return true;
        };
        try {
            Json value = Json::parse(text, limitDepth);
            if (value.is_object())
                return value;
        } catch (const nlohmann::json::parse_error &error) {
            // A Python dict may still start with a double-quoted key; give it that chance.
            try {
                Json value = parsePythonLiteral(text);
                if (value.is_object())
                    return value;
            } catch (const Error &) {
            }
            reader.fail("", describeJsonError(error.what()));
        }
        reader.fail("", "expected one object on this line");
    }
    Json value;
    try {
        value = parsePythonLiteral(text);
    } catch (const Error &error) {
        reader.fail("", std::string("neither JSON nor a Python literal: ") + error.what());
    }
    if (!value.is_object())
        reader.fail("", "expected one dict on this line");
    return value;
}

// 2014 `categories` is a list of category paths (lists); 2018 `category` one flat list.
// Flattened in first-seen order without repeats: the paths share their top levels.
void appendCategories(const Json &record, const char *key, Json &categories, const TextReader &reader)
{
    const auto found = record.find(key);
    if (found == record.end() || found->is_null())
        return;
    if (!found->is_array())
        reader.fail(key, "expected a list of categories");
    auto add = [&](const Json &value) {
        if (!value.is_string())
            reader.fail(key, "expected category names (text), got " + value.dump());
        const auto &name = value.get_ref<const std::string &>();
        if (!name.empty() && std::find(categories.begin(), categories.end(), value) == categories.end())
            categories.push_back(name);
    };
    for (const Json &entry : *found) {
        if (entry.is_array()) {
            for (const Json &name : entry)
                add(name);
        } else {
            add(entry);
        }
    }
}

// 2014: one string; 2018: a list of paragraphs, joined with a space.
std::string description(const Json &record, const TextReader &reader)
{
    const auto found = record.find("description");
    if (found == record.end() || found->is_null())
        return {};
    if (found->is_string())
        return found->get<std::string>();
    if (!found->is_array())
        reader.fail("description", "expected text or a list of text");
    std::string joined;
    for (const Json &part : *found) {
        if (!part.is_string())
            reader.fail("description", "expected text, got " + part.dump());
        const auto &text = part.get_ref<const std::string &>();
        if (text.empty())
            continue;
        if (!joined.empty())
            joined += ' ';
        joined += text;
    }
    return joined;
}

// 2014: a number; 2018: text such as "$12.99" (or a range, or stray page markup, kept as given).
Json price(const Json &record, const TextReader &reader)
{
    const auto found = record.find("price");
    if (found == record.end() || found->is_null())
        return nullptr;
    if (found->is_number())
        return *found;
    if (!found->is_string())
        reader.fail("price", "expected a number or text, got " + found->dump());
    const std::string &given = found->get_ref<const std::string &>();
    std::string digits(trimmed(given));
    if (digits.empty())
        return nullptr;
    if (digits.front() == '$')
        digits.erase(0, 1);
    std::erase(digits, ','); // "$1,299.00"
    if (const auto number = parseNumber(digits))
        return *number;
    return given;
}

ItemFields itemFields(const Json &record, const TextReader &reader)
{
    ItemFields fields = ItemFields::object();
    if (auto title = textField(record, "title", reader); !title.empty())
        fields["title"] = std::move(title);
    if (auto brand = textField(record, "brand", reader); !brand.empty())
        fields["brand"] = std::move(brand);
    Json categories = Json::array();
    appendCategories(record, "categories", categories, reader);
    appendCategories(record, "category", categories, reader);
    if (!categories.empty())
        fields["categories"] = std::move(categories);
    if (auto text = description(record, reader); !text.empty())
        fields["description"] = std::move(text);
    if (Json value = price(record, reader); !value.is_null())
        fields["price"] = std::move(value);
    return fields;
}

// Amazon review dumps (McAuley et al. 2014, Ni et al. 2018): reviews and metadata as one
// record per line, optionally gzip'd.
class AmazonFormat final : public Format {
public:
    std::string name() const override { return "amazon"; }
    std::string description() const override
    {
        return "Amazon review dumps, 2014 (reviews_X.json[.gz], meta_X.json[.gz]) and 2018 (X.json[.gz], "
               "meta_X.json[.gz])";
    }
    int defaultKCore() const override { return 5; }

    int detectInteractions(const FileSniff &file) const override
    {
        const std::string_view line = file.firstLine();
        return hasJsonKey(line, "reviewerID") && hasJsonKey(line, "asin") ? 90 : 0;
    }

    int detectItems(const FileSniff &file) const override
    {
        const std::string_view line = file.firstLine();
        return hasJsonKey(line, "asin") && !hasJsonKey(line, "reviewerID") ? 80 : 0;
    }

    void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        TextReader reader(sources.interactions);
        builder.setSource(&reader);
        JsonFieldPicker picker({"reviewerID", "asin", "unixReviewTime"});
        std::string_view line;
        while (reader.nextLine(line)) {
            context.advance(reader);
            if (trimmed(line).empty())
                continue;
            picker.parse(line, reader);
            const std::string_view user = picker.requireString(0, reader);
            const std::string_view item = picker.requireString(1, reader);
            // The dumps are grouped by product; the builder puts each user's reviews in time order.
            builder.addInteraction(user, item, reviewTime(picker[2], reader));
        }
    }

    bool readsItems() const override { return true; }

    void readItems(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        const std::filesystem::path &file = *sources.items;
        TextReader reader(file);
        std::string_view line;
        while (reader.nextLine(line)) {
            context.advance(reader);
            if (trimmed(line).empty())
                continue;
            const Json record = parseMetadataLine(line, reader);
            const std::string &id = requiredId(record, "asin", reader);
            // Records of items without interactions are only counted: don't build (or judge) them.
            // The 2018 metadata files repeat some products: the first record wins.
            builder.setItemFields(id, builder.hasItem(id) ? itemFields(record, reader) : ItemFields(),
                                  reader.fileName(), reader.lineNumber(), DatasetBuilder::Duplicates::KeepFirst);
        }
    }
};

} // namespace

std::unique_ptr<Format> makeAmazonFormat()
{
    return std::make_unique<AmazonFormat>();
}

} // namespace idgen
