#include "data/DatasetBuilder.h"
#include "data/formats/FieldParsing.h"
#include "data/formats/Formats.h"
#include "data/formats/ImportContext.h"
#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/TextReader.h"

#include <unordered_map>

namespace idgen {
namespace {

using IndexMap = std::unordered_map<std::string, std::string>;

// A JSON id (string or number) as text.
std::string idText(const nlohmann::json &value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

struct DataMaps {
    IndexMap users; // P5 index -> raw id
    IndexMap items;
};

// One direction of datamaps.json: `id2user` (index -> raw id) when present, otherwise `user2id`
// turned around. Both are written by the P5 code, but some copies keep only one.
IndexMap indexToRawId(const nlohmann::json &maps, const std::string &what, const std::string &file)
{
    IndexMap map;
    const std::string forward = "id2" + what;
    const std::string backward = what + "2id";
    if (maps.contains(forward) && maps[forward].is_object()) {
        for (const auto &[index, raw] : maps[forward].items())
            map.emplace(index, idText(raw));
    } else if (maps.contains(backward) && maps[backward].is_object()) {
        for (const auto &[raw, index] : maps[backward].items())
            map.emplace(idText(index), raw);
    } else {
        throw InputError(file, 0, forward, "datamaps.json has neither '" + forward + "' nor '" + backward + "'");
    }
    return map;
}

DataMaps readDataMaps(const std::filesystem::path &path)
{
    // A few MB at most; read through TextReader for gzip and UTF-8 checks (and a bound on what
    // a .gz may inflate to), then keep only the user and item maps (the attribute maps can be
    // large and are of no use here).
    std::string text = readWholeTextFile(path);
    const auto wanted = [](const std::string &key) {
        return key == "id2user" || key == "id2item" || key == "user2id" || key == "item2id";
    };
    nlohmann::json maps;
    try {
        maps = nlohmann::json::parse(text, [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json &parsed) {
            if (depth > kMaxNestingDepth)
                throw InputError(path.string(), 0, "", "values nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
            return !(depth == 1 && event == nlohmann::json::parse_event_t::key && !wanted(parsed.get<std::string>()));
        });
    } catch (const nlohmann::json::parse_error &error) {
        throw InputError(path.string(), 0, "", error.what());
    }
    if (!maps.is_object())
        throw InputError(path.string(), 0, "", "expected a JSON object with id2user and id2item maps");
    text.clear();
    text.shrink_to_fit();
    return {indexToRawId(maps, "user", path.string()), indexToRawId(maps, "item", path.string())};
}

// P5 files: sequential_data.txt (`user_idx item_idx ...`, 1-based, time order) and
// datamaps.json, whose id2user / id2item maps turn indices back into raw ids, so the stored
// dataset is the same as one imported from the raw-id sequence file.
class P5Format final : public Format {
public:
    std::string name() const override { return "p5"; }
    std::string description() const override
    {
        return "P5: sequential_data.txt 'user item item ...' as indices, with --datamaps datamaps.json";
    }
    int defaultKCore() const override { return 0; }

    // The file looks exactly like the sequence format; p5 is chosen by name or by --datamaps.
    int detectInteractions(const FileSniff &) const override { return 0; }

    void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        if (!sources.datamaps)
            throw InputError(sources.interactions.string(), 0, "",
                             "the p5 format needs the datamaps.json that maps its indices to ids: --datamaps is required");
        const DataMaps maps = readDataMaps(*sources.datamaps);
        const std::string mapsName = sources.datamaps->filename().string();

        TextReader reader(sources.interactions);
        builder.setSource(&reader);
        std::unordered_map<std::string, std::uint64_t> firstLine;
        std::string_view line;
        std::vector<std::string_view> tokens;
        while (reader.nextLine(line)) {
            context.advance(reader);
            splitWhitespace(line, tokens);
            if (tokens.empty())
                continue;
            const auto user = maps.users.find(std::string(tokens[0]));
            if (user == maps.users.end())
                reader.fail("user index", "user index '" + std::string(tokens[0]) + "' is not in " + mapsName + " (id2user)");
            if (tokens.size() == 1)
                reader.fail("items", "user '" + std::string(tokens[0]) + "' has no items");
            const auto [seen, inserted] = firstLine.emplace(tokens[0], reader.lineNumber());
            if (!inserted)
                reader.fail("user index", "duplicate user '" + std::string(tokens[0]) + "' (first seen at line " +
                                              std::to_string(seen->second) + ")");
            for (std::size_t i = 1; i < tokens.size(); ++i) {
                const auto item = maps.items.find(std::string(tokens[i]));
                if (item == maps.items.end())
                    reader.fail("item index", "item index '" + std::string(tokens[i]) + "' (item " + std::to_string(i) +
                                                  " of the line) is not in " + mapsName + " (id2item)");
                builder.addInteraction(user->second, item->second);
            }
        }
    }
};

} // namespace

std::unique_ptr<Format> makeP5Format()
{
    return std::make_unique<P5Format>();
}

} // namespace idgen
