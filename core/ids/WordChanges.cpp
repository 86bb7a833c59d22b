#include "ids/WordChanges.h"

#include "ids/IdDiff.h"

#include <algorithm>

namespace idgen {

std::vector<WordChange> wordChanges(const std::string &from, const std::string &to)
{
    const auto a = idWords(from);
    const auto b = idWords(to);
    // common[i][j]: the longest common subsequence of a[i..] and b[j..] (IDs are a few words).
    std::vector<std::vector<std::size_t>> common(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
    for (std::size_t i = a.size(); i-- > 0;)
        for (std::size_t j = b.size(); j-- > 0;)
            common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
    std::vector<WordChange> changes;
    std::size_t i = 0;
    std::size_t j = 0;
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && j < b.size() && a[i] == b[j]) {
            changes.push_back({WordChange::Kind::Kept, a[i]});
            ++i;
            ++j;
        } else if (j == b.size() || (i < a.size() && common[i + 1][j] >= common[i][j + 1])) {
            changes.push_back({WordChange::Kind::Removed, a[i++]});
        } else {
            changes.push_back({WordChange::Kind::Added, b[j++]});
        }
    }
    return changes;
}

} // namespace idgen
