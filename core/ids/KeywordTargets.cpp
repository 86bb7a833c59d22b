#include "ids/KeywordTargets.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

namespace idgen {
namespace {

const std::unordered_set<std::string> &ignoredWords()
{
    static const std::unordered_set<std::string> words = {
        // labels of the rendered item text (ItemText.h)
        "title", "brand", "categories", "category", "description", "price",
        // common English function words
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its", "of",
        "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "you", "your", "our", "we", "can",
        "all", "not", "no", "but", "so", "if", "into", "more", "most", "other", "than", "then", "these", "those",
        "very", "up", "out", "use", "used", "also", "any", "each", "which", "who", "what", "when", "how", "about"};
    return words;
}

std::vector<std::string> words(const std::string &text)
{
    std::vector<std::string> out;
    std::string current;
    const auto flush = [&] {
        if (current.size() > 1 && !ignoredWords().count(current))
            out.push_back(current);
        current.clear();
    };
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) || u >= 0x80)
            current.push_back(static_cast<char>(std::tolower(u)));
        else
            flush();
    }
    flush();
    return out;
}

} // namespace

std::vector<std::string> keywordWords(const std::string &text)
{
    return words(text);
}

std::vector<std::string> keywordTargets(const std::vector<std::string> &texts, int count)
{
    std::vector<std::vector<std::string>> tokenized;
    tokenized.reserve(texts.size());
    std::unordered_map<std::string, std::size_t> documentFrequency;
    for (const auto &text : texts) {
        tokenized.push_back(words(text));
        std::unordered_set<std::string> seen(tokenized.back().begin(), tokenized.back().end());
        for (const auto &w : seen)
            ++documentFrequency[w];
    }
    const double documents = static_cast<double>(texts.size());
    std::vector<std::string> targets;
    targets.reserve(texts.size());
    for (const auto &itemWords : tokenized) {
        std::unordered_map<std::string, std::size_t> termFrequency;
        std::unordered_map<std::string, std::size_t> firstPosition;
        for (std::size_t i = 0; i < itemWords.size(); ++i) {
            ++termFrequency[itemWords[i]];
            firstPosition.emplace(itemWords[i], i);
        }
        std::vector<std::pair<double, std::string>> scored;
        for (const auto &[word, tf] : termFrequency) {
            const double idf = std::log((1.0 + documents) / (1.0 + static_cast<double>(documentFrequency[word]))) + 1.0;
            scored.emplace_back(static_cast<double>(tf) * idf, word);
        }
        // Highest TF-IDF first; ties go to the earlier word, so the result is deterministic.
        std::sort(scored.begin(), scored.end(), [&](const auto &a, const auto &b) {
            if (a.first != b.first)
                return a.first > b.first;
            return firstPosition[a.second] < firstPosition[b.second];
        });
        if (scored.size() > static_cast<std::size_t>(std::max(count, 0)))
            scored.resize(static_cast<std::size_t>(std::max(count, 0)));
        std::sort(scored.begin(), scored.end(),
                  [&](const auto &a, const auto &b) { return firstPosition[a.second] < firstPosition[b.second]; });
        std::string target;
        for (const auto &[score, word] : scored)
            target += (target.empty() ? "" : " ") + word;
        targets.push_back(std::move(target));
    }
    return targets;
}

} // namespace idgen
