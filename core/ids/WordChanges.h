#pragma once

#include <string>
#include <vector>

namespace idgen {

// How one ID's words became another's, for highlighting in the IDs view: the words of both in
// order, each kept, removed (only in `from`) or added (only in `to`), along a longest common
// subsequence of the space-separated words. Its removed + added count is at least
// wordEditDistance() (a substitution is one removal and one addition here).
struct WordChange {
    enum class Kind { Kept, Removed, Added };
    Kind kind = Kind::Kept;
    std::string word;
    bool operator==(const WordChange &) const = default;
};

std::vector<WordChange> wordChanges(const std::string &from, const std::string &to);

} // namespace idgen
