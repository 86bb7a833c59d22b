#include "data/DatasetBuilder.h"
#include "data/formats/DelimitedReader.h"
#include "data/formats/Formats.h"
#include "data/formats/ImportContext.h"
#include "data/formats/JsonLines.h"
#include "util/Error.h"
#include "util/TextReader.h"

#include <optional>

namespace idgen {
namespace {

using Json = nlohmann::ordered_json;

// Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil): exact, and
// free of the local time zone that mktime would apply.
constexpr std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day)
{
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto yearOfEra = static_cast<unsigned>(year - era * 400);
    const unsigned dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}
static_assert(daysFromCivil(1970, 1, 1) == 0);
static_assert(daysFromCivil(2000, 3, 1) == 11017);

bool digitsAt(std::string_view text, std::size_t pos, std::size_t count, unsigned &value)
{
    if (pos + count > text.size())
        return false;
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return true;
}

// "2016-03-09 00:00:00", "2016-03-09T00:00:00", "2016-03-09 00:00" or "2016-03-09", read as UTC
// (the dataset gives no zone) and returned as seconds since 1970.
std::optional<std::int64_t> parseYelpDate(std::string_view text)
{
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digitsAt(text, 0, 4, year) || text.size() < 10 || text[4] != '-' || !digitsAt(text, 5, 2, month) ||
        text[7] != '-' || !digitsAt(text, 8, 2, day))
        return std::nullopt;
    if (text.size() > 10) {
        if ((text[10] != ' ' && text[10] != 'T') || !digitsAt(text, 11, 2, hour) || text.size() < 16 ||
            text[13] != ':' || !digitsAt(text, 14, 2, minute))
            return std::nullopt;
        if (text.size() > 16 && (text.size() != 19 || text[16] != ':' || !digitsAt(text, 17, 2, second)))
            return std::nullopt;
    }
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] + (month == 2 && leap ? 1 : 0) || hour > 23 ||
        minute > 59 || second > 60)
        return std::nullopt;
    return daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
}

// Since 2018 one comma-separated string ("Tobacco Shops, Nightlife"); older releases a list.
Json categories(const Json &record, const TextReader &reader)
{
    Json list = Json::array();
    const auto found = record.find("categories");
    if (found == record.end() || found->is_null())
        return list;
    auto add = [&](std::string_view name) {
        name = trimmed(name);
        if (!name.empty())
            list.push_back(std::string(name));
    };
    if (found->is_string()) {
        std::string_view rest = found->get_ref<const std::string &>();
        for (auto comma = rest.find(','); comma != std::string_view::npos; comma = rest.find(',')) {
            add(rest.substr(0, comma));
            rest.remove_prefix(comma + 1);
        }
        add(rest);
    } else if (found->is_array()) {
        for (const Json &name : *found) {
            if (!name.is_string())
                reader.fail("categories", "expected category names (text), got " + name.dump());
            add(name.get_ref<const std::string &>());
        }
    } else {
        reader.fail("categories", "expected a comma-separated text or a list");
    }
    return list;
}

// The Yelp Open Dataset: review.json (interactions) and business.json (items), JSON lines.
class YelpFormat final : public Format {
public:
    std::string name() const override { return "yelp"; }
    std::string description() const override
    {
        return "Yelp Open Dataset: review.json (+ business.json), one JSON object a line";
    }
    int defaultKCore() const override { return 5; }

    int detectInteractions(const FileSniff &file) const override
    {
        const std::string_view line = file.firstLine();
        return hasJsonKey(line, "review_id") && hasJsonKey(line, "business_id") ? 90 : 0;
    }

    int detectItems(const FileSniff &file) const override
    {
        const std::string_view line = file.firstLine();
        return hasJsonKey(line, "business_id") && hasJsonKey(line, "name") && !hasJsonKey(line, "review_id") ? 80 : 0;
    }

    void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        TextReader reader(sources.interactions);
        builder.setSource(&reader);
        JsonFieldPicker picker({"user_id", "business_id", "date"});
        std::string_view line;
        while (reader.nextLine(line)) {
            context.advance(reader);
            if (trimmed(line).empty())
                continue;
            picker.parse(line, reader);
            const std::string_view user = picker.requireString(0, reader);
            const std::string_view item = picker.requireString(1, reader);
            const JsonScalar &date = picker[2];
            if (date.kind == JsonScalar::Kind::Missing)
                reader.fail("date", "missing");
            const auto time = date.kind == JsonScalar::Kind::String ? parseYelpDate(date.text) : std::nullopt;
            if (!time)
                reader.fail("date", "expected a date like '2016-03-09 00:00:00'" +
                                        (date.kind == JsonScalar::Kind::String ? ", got '" + date.text + "'"
                                                                                : std::string()));
            builder.addInteraction(user, item, *time);
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
            const Json record = parseJsonLine(line, reader);
            const std::string &business = requiredId(record, "business_id", reader);
            ItemFields fields;
            if (builder.hasItem(business)) {
                fields = ItemFields::object();
                if (auto title = textField(record, "name", reader); !title.empty())
                    fields["title"] = std::move(title);
                if (Json list = categories(record, reader); !list.empty())
                    fields["categories"] = std::move(list);
                if (auto city = textField(record, "city", reader); !city.empty())
                    fields["city"] = std::move(city);
                if (auto state = textField(record, "state", reader); !state.empty())
                    fields["state"] = std::move(state);
            }
            builder.setItemFields(business, std::move(fields), reader.fileName(), reader.lineNumber());
        }
    }
};

} // namespace

std::unique_ptr<Format> makeYelpFormat()
{
    return std::make_unique<YelpFormat>();
}

} // namespace idgen
