#include "ids/IdFileLines.h"

#include "util/Error.h"
#include "util/InputLimits.h"

namespace idgen {
namespace {

constexpr std::uint64_t kNoLine = 0;

// How many missing raw ids an error spells out.
constexpr std::size_t kMissingShown = 5;

} // namespace

IdFileLines::IdFileLines(const std::filesystem::path &file, std::span<const std::string> rawIds, IdKind kind)
    : m_reader(file)
    , m_rawIds(rawIds)
    , m_kindName(idKindName(kind))
    , m_lineOf(rawIds.size(), kNoLine)
{
    m_indexOf.reserve(rawIds.size());
    for (std::size_t i = 0; i < rawIds.size(); ++i)
        m_indexOf.emplace(rawIds[i], i);
}

bool IdFileLines::next(std::size_t &entity, std::string_view &idText)
{
    std::string_view line;
    while (m_reader.nextLine(line)) {
        const std::size_t start = line.find_first_not_of(" \t");
        if (start == std::string_view::npos)
            continue;
        const std::size_t split = line.find_first_of(" \t", start);
        const std::string_view rawId = line.substr(start, split == std::string_view::npos ? line.npos : split - start);
        idText = split == std::string_view::npos ? std::string_view() : line.substr(split + 1);
        if (rawId.size() > kMaxIdBytes)
            fail("raw_id", "id is " + byteSizeText(rawId.size()) + " long, more than the " + byteSizeText(kMaxIdBytes) +
                               " an id may have");
        if (idText.size() > kMaxIdBytes)
            fail("id", "ID text is " + byteSizeText(idText.size()) + " long, more than the " +
                           byteSizeText(kMaxIdBytes) + " an ID may have (IDs are a few words)");
        const auto found = m_indexOf.find(rawId);
        if (found == m_indexOf.end())
            fail("raw_id", "'" + std::string(rawId) + "' is not one of the dataset's " + m_kindName + "s");
        entity = found->second;
        if (m_lineOf[entity] != kNoLine)
            fail("raw_id", m_kindName + " '" + std::string(rawId) + "' already has an ID on line " +
                               std::to_string(m_lineOf[entity]));
        m_lineOf[entity] = m_reader.lineNumber();
        return true;
    }
    return false;
}

void IdFileLines::requireEveryEntity() const
{
    std::size_t missing = 0;
    std::string examples;
    for (std::size_t i = 0; i < m_rawIds.size(); ++i) {
        if (m_lineOf[i] != kNoLine)
            continue;
        if (++missing <= kMissingShown)
            examples += (examples.empty() ? "" : ", ") + m_rawIds[i];
    }
    if (missing > 0)
        throw InputError(fileName(), 0, "",
                         std::to_string(missing) + " of the dataset's " + std::to_string(m_rawIds.size()) + " " +
                             m_kindName + "s have no ID in the file (" + examples +
                             (missing > kMissingShown ? ", ..." : "") + ")");
}

} // namespace idgen
