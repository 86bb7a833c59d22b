#include "data/DatasetBuilder.h"
#include "data/formats/FieldParsing.h"
#include "data/formats/Formats.h"
#include "data/formats/ImportContext.h"
#include "util/TextReader.h"

#include <unordered_map>

namespace idgen {
namespace {

// `user item item ...` per line, oldest first (user_sequence.txt of the IDGenRec / P5 repos).
class SequenceFormat final : public Format {
public:
    std::string name() const override { return "sequence"; }
    std::string description() const override
    {
        return "one user a line: 'user item item ...', oldest first (user_sequence.txt)";
    }
    int defaultKCore() const override { return 0; }

    int detectInteractions(const FileSniff &file) const override
    {
        const std::string_view line = file.firstLine();
        if (line.empty() || line.find('\t') != std::string_view::npos || line.front() == '{' || line.front() == '[')
            return 0;
        const auto firstSpace = line.find(' ');
        if (firstSpace == std::string_view::npos || line.substr(0, firstSpace).find(':') != std::string_view::npos)
            return 0;
        return line.find(',') == std::string_view::npos ? 40 : 10;
    }

    void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
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
            if (tokens.size() == 1)
                reader.fail("items", "user '" + std::string(tokens[0]) + "' has no items");
            const auto [seen, inserted] = firstLine.emplace(tokens[0], reader.lineNumber());
            if (!inserted)
                reader.fail("user id", "duplicate user '" + std::string(tokens[0]) + "' (first seen at line " +
                                           std::to_string(seen->second) + ")");
            for (std::size_t i = 1; i < tokens.size(); ++i)
                builder.addInteraction(tokens[0], tokens[i]);
        }
    }
};

} // namespace

std::unique_ptr<Format> makeSequenceFormat()
{
    return std::make_unique<SequenceFormat>();
}

} // namespace idgen
