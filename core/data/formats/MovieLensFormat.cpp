#include "data/DatasetBuilder.h"
#include "data/formats/DelimitedReader.h"
#include "data/formats/FieldParsing.h"
#include "data/formats/Formats.h"
#include "data/formats/ImportContext.h"
#include "util/Error.h"
#include "util/TextReader.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace idgen {
namespace {

// The three generations of MovieLens files, each told apart by its content.
enum class Ratings { None, Dat, UData, Csv };  // ratings.dat (1M/10M), u.data (100K), ratings.csv (latest)
enum class Movies { None, Dat, UItem, Csv };   // movies.dat, u.item, movies.csv

// The ML-100K genre flags of u.item, in column order (from the ML-100K README).
constexpr std::array<const char *, 19> kUItemGenres = {
    "unknown", "Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary", "Drama",
    "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western"};
constexpr std::size_t kUItemFields = 5 + kUItemGenres.size();

std::vector<std::string_view> split(std::string_view line, std::string_view separator)
{
    std::vector<std::string_view> fields;
    std::size_t pos = 0;
    for (;;) {
        const auto end = line.find(separator, pos);
        fields.push_back(line.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
        if (end == std::string_view::npos)
            return fields;
        pos = end + separator.size();
    }
}

bool isInteger(std::string_view text)
{
    text = trimmed(text);
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

Ratings ratingsLayout(std::string_view line)
{
    if (trimmed(line).starts_with("userId,movieId,"))
        return Ratings::Csv;
    const auto dat = split(line, "::");
    if (dat.size() == 4 && isInteger(dat[0]) && isInteger(dat[1]) && parseNumber(dat[2]) && isInteger(dat[3]))
        return Ratings::Dat;
    const auto tabs = split(line, "\t");
    if (tabs.size() == 4 && std::all_of(tabs.begin(), tabs.end(), isInteger))
        return Ratings::UData;
    return Ratings::None;
}

Movies moviesLayout(std::string_view line)
{
    if (trimmed(line).starts_with("movieId,title"))
        return Movies::Csv;
    const auto dat = split(line, "::");
    if (dat.size() == 3 && isInteger(dat[0]))
        return Movies::Dat;
    const auto bars = split(line, "|");
    if (bars.size() == kUItemFields && isInteger(bars[0]))
        return Movies::UItem;
    return Movies::None;
}

// ML-1M and ML-100K are Latin-1; later copies (and files users re-saved) may be UTF-8. A head
// whose non-ASCII bytes are valid UTF-8 is taken as UTF-8, anything else as Latin-1.
TextReader::Encoding moviesEncoding(const FileSniff &sniff)
{
    std::string_view head = sniff.head;
    const auto lastNewline = head.rfind('\n');
    if (lastNewline != std::string_view::npos)
        head = head.substr(0, lastNewline); // a multi-byte character may be cut at the end
    const bool ascii = std::all_of(head.begin(), head.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    return !ascii && isValidUtf8(head) ? TextReader::Encoding::Utf8 : TextReader::Encoding::Latin1;
}

// "Toy Story (1995)" -> title "Toy Story", year "1995". Titles without a year stay whole.
void setTitleAndYear(ItemFields &record, std::string_view title)
{
    title = trimmed(title);
    const std::size_t n = title.size();
    if (n >= 7 && title[n - 1] == ')' && title[n - 6] == '(' && title[n - 7] == ' ' && isInteger(title.substr(n - 5, 4))) {
        record["title"] = std::string(trimmed(title.substr(0, n - 7)));
        record["year"] = std::string(title.substr(n - 5, 4));
    } else {
        record["title"] = std::string(title);
    }
}

// "Animation|Children's|Comedy" -> ["Animation", "Children's", "Comedy"].
void setGenres(ItemFields &record, std::string_view genres)
{
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto genre : split(genres, "|")) {
        const auto name = trimmed(genre);
        if (!name.empty() && name != "(no genres listed)")
            list.push_back(std::string(name));
    }
    if (!list.empty())
        record["genres"] = std::move(list);
}

// The column of a csv header, or a failure naming the header line.
std::size_t headerColumn(const DelimitedReader &reader, const std::vector<std::string_view> &header, std::string_view name)
{
    const auto it = std::find_if(header.begin(), header.end(), [&](std::string_view h) { return trimmed(h) == name; });
    if (it == header.end())
        reader.fail(std::string(name), "the header has no '" + std::string(name) + "' column");
    return static_cast<std::size_t>(it - header.begin());
}

class MovieLensFormat final : public Format {
public:
    std::string name() const override { return "movielens"; }
    std::string description() const override
    {
        return "MovieLens: ratings.dat / u.data / ratings.csv (+ movies.dat / u.item / movies.csv)";
    }
    int defaultKCore() const override { return 5; }

    int detectInteractions(const FileSniff &file) const override
    {
        switch (ratingsLayout(file.firstLine())) {
        case Ratings::Csv:
        case Ratings::Dat: return 90;
        case Ratings::UData: return 80;
        case Ratings::None: break;
        }
        return 0;
    }

    int detectItems(const FileSniff &file) const override
    {
        switch (moviesLayout(file.firstLine())) {
        case Movies::Csv:
        case Movies::Dat: return 90;
        case Movies::UItem: return 85;
        case Movies::None: break;
        }
        return 0;
    }

    void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        const FileSniff sniff = FileSniff::of(sources.interactions);
        switch (ratingsLayout(sniff.firstLine())) {
        case Ratings::Dat: return readSeparated(sources.interactions, "::", builder, context);
        case Ratings::UData: return readSeparated(sources.interactions, "\t", builder, context);
        case Ratings::Csv: return readRatingsCsv(sources.interactions, builder, context);
        case Ratings::None: break;
        }
        throw InputError(sources.interactions.string(), 1, "",
                         "not a MovieLens ratings file: expected 'user::item::rating::timestamp' (ratings.dat), "
                         "'user<TAB>item<TAB>rating<TAB>timestamp' (u.data) or a 'userId,movieId,rating,timestamp' header (ratings.csv)");
    }

    bool readsItems() const override { return true; }

    void readItems(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        const std::filesystem::path &file = *sources.items;
        const FileSniff sniff = FileSniff::of(file);
        switch (moviesLayout(sniff.firstLine())) {
        case Movies::Dat: return readMoviesDat(file, moviesEncoding(sniff), builder, context);
        case Movies::UItem: return readUItem(file, moviesEncoding(sniff), builder, context);
        case Movies::Csv: return readMoviesCsv(file, builder, context);
        case Movies::None: break;
        }
        throw InputError(file.string(), 1, "",
                         "not a MovieLens movies file: expected 'id::Title (year)::Genre|Genre' (movies.dat), "
                         "'id|title|...' with 19 genre flags (u.item) or a 'movieId,title,genres' header (movies.csv)");
    }

private:
    // ratings.dat and u.data: user, item, rating, timestamp.
    static void readSeparated(const std::filesystem::path &path, std::string_view separator, DatasetBuilder &builder,
                              ImportContext &context)
    {
        static const std::array<std::string, 4> names = {"user", "item", "rating", "timestamp"};
        const std::string shown = separator == "\t" ? "tab" : "'" + std::string(separator) + "'";
        TextReader reader(path);
        builder.setSource(&reader);
        std::string_view line;
        while (reader.nextLine(line)) {
            context.advance(reader);
            if (trimmed(line).empty())
                continue;
            const auto fields = split(line, separator);
            if (fields.size() != 4)
                reader.fail("", "expected 4 " + shown + "-separated fields (user, item, rating, timestamp), found " +
                                    std::to_string(fields.size()));
            for (std::size_t i = 0; i < 2; ++i) {
                if (trimmed(fields[i]).empty())
                    reader.fail(names[i], "empty id");
            }
            if (!parseNumber(fields[2]))
                reader.fail(names[2], "expected a number, got '" + std::string(fields[2]) + "'");
            const auto timestamp = parseTimestamp(fields[3]);
            if (!timestamp)
                reader.fail(names[3], "expected a number, got '" + std::string(fields[3]) + "'");
            builder.addInteraction(trimmed(fields[0]), trimmed(fields[1]), timestamp);
        }
    }

    static void readRatingsCsv(const std::filesystem::path &path, DatasetBuilder &builder, ImportContext &context)
    {
        DelimitedReader reader(path, ',');
        builder.setSource(&reader.text());
        std::vector<std::string_view> fields;
        reader.next(fields);
        const std::vector<std::string> header(fields.begin(), fields.end());
        const std::vector<std::string_view> headerView(header.begin(), header.end());
        const std::size_t user = headerColumn(reader, headerView, "userId");
        const std::size_t item = headerColumn(reader, headerView, "movieId");
        const std::size_t rating = headerColumn(reader, headerView, "rating");
        const std::size_t time = headerColumn(reader, headerView, "timestamp");
        while (reader.next(fields)) {
            context.advance(reader.text());
            if (fields.size() != header.size())
                reader.fail("", "expected " + std::to_string(header.size()) + " comma-separated fields, found " +
                                    std::to_string(fields.size()));
            if (trimmed(fields[user]).empty())
                reader.fail(header[user], "empty id");
            if (trimmed(fields[item]).empty())
                reader.fail(header[item], "empty id");
            if (!parseNumber(fields[rating]))
                reader.fail(header[rating], "expected a number, got '" + std::string(fields[rating]) + "'");
            const auto timestamp = parseTimestamp(fields[time]);
            if (!timestamp)
                reader.fail(header[time], "expected a number, got '" + std::string(fields[time]) + "'");
            builder.addInteraction(trimmed(fields[user]), trimmed(fields[item]), timestamp);
        }
    }

    static void readMoviesDat(const std::filesystem::path &path, TextReader::Encoding encoding, DatasetBuilder &builder,
                              ImportContext &context)
    {
        TextReader reader(path, encoding);
        std::string_view line;
        while (reader.nextLine(line)) {
            context.advance(reader);
            if (trimmed(line).empty())
                continue;
            const auto fields = split(line, "::");
            if (fields.size() != 3)
                reader.fail("", "expected 3 '::'-separated fields (id, title, genres), found " + std::to_string(fields.size()));
            const auto id = trimmed(fields[0]);
            if (id.empty())
                reader.fail("movie id", "empty id");
            ItemFields record = ItemFields::object();
            setTitleAndYear(record, fields[1]);
            setGenres(record, fields[2]);
            builder.setItemFields(id, std::move(record), reader.fileName(), reader.lineNumber());
        }
    }

    static void readUItem(const std::filesystem::path &path, TextReader::Encoding encoding, DatasetBuilder &builder,
                          ImportContext &context)
    {
        TextReader reader(path, encoding);
        std::string_view line;
        while (reader.nextLine(line)) {
            context.advance(reader);
            if (trimmed(line).empty())
                continue;
            const auto fields = split(line, "|");
            if (fields.size() != kUItemFields)
                reader.fail("", "expected " + std::to_string(kUItemFields) +
                                    " '|'-separated fields (id, title, release date, video release date, IMDb URL, "
                                    "19 genre flags), found " + std::to_string(fields.size()));
            const auto id = trimmed(fields[0]);
            if (id.empty())
                reader.fail("movie id", "empty id");
            ItemFields record = ItemFields::object();
            setTitleAndYear(record, fields[1]);
            if (!record.contains("year")) {
                // "unknown"-style titles carry no year; the release date (01-Jan-1995) may.
                const auto released = trimmed(fields[2]);
                if (released.size() >= 4 && isInteger(released.substr(released.size() - 4)))
                    record["year"] = std::string(released.substr(released.size() - 4));
            }
            nlohmann::ordered_json genres = nlohmann::ordered_json::array();
            for (std::size_t g = 0; g < kUItemGenres.size(); ++g) {
                const auto flag = trimmed(fields[5 + g]);
                if (flag == "1")
                    genres.push_back(kUItemGenres[g]);
                else if (flag != "0")
                    reader.fail(kUItemGenres[g], "genre flags must be 0 or 1, got '" + std::string(flag) + "'");
            }
            if (!genres.empty())
                record["genres"] = std::move(genres);
            builder.setItemFields(id, std::move(record), reader.fileName(), reader.lineNumber());
        }
    }

    static void readMoviesCsv(const std::filesystem::path &path, DatasetBuilder &builder, ImportContext &context)
    {
        DelimitedReader reader(path, ',');
        std::vector<std::string_view> fields;
        reader.next(fields);
        const std::vector<std::string> header(fields.begin(), fields.end());
        const std::vector<std::string_view> headerView(header.begin(), header.end());
        const std::size_t id = headerColumn(reader, headerView, "movieId");
        const std::size_t title = headerColumn(reader, headerView, "title");
        const std::size_t genres = headerColumn(reader, headerView, "genres");
        while (reader.next(fields)) {
            context.advance(reader.text());
            if (fields.size() != header.size())
                reader.fail("", "expected " + std::to_string(header.size()) + " comma-separated fields, found " +
                                    std::to_string(fields.size()));
            const auto movie = trimmed(fields[id]);
            if (movie.empty())
                reader.fail(header[id], "empty id");
            ItemFields record = ItemFields::object();
            setTitleAndYear(record, fields[title]);
            setGenres(record, fields[genres]);
            builder.setItemFields(movie, std::move(record), reader.fileName(), reader.lineNumber());
        }
    }
};

} // namespace

std::unique_ptr<Format> makeMovieLensFormat()
{
    return std::make_unique<MovieLensFormat>();
}

} // namespace idgen
