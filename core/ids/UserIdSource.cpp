#include "ids/UserIdSource.h"

#include "util/Error.h"

namespace idgen {

const char *userIdHistoryName(UserIdHistory history)
{
    return history == UserIdHistory::LeakFree ? "leak-free" : "leaky";
}

UserIdHistory parseUserIdHistory(std::string_view name)
{
    if (name == "leak-free")
        return UserIdHistory::LeakFree;
    if (name == "leaky")
        return UserIdHistory::Leaky;
    throw Error("user ID history '" + std::string(name) +
                "' is not known (use leak-free, or leaky: the published code's leak, for reproduction only)");
}

std::vector<std::string> userHistoryTexts(const Dataset &dataset, std::span<const std::string> itemIds,
                                          UserIdHistory history)
{
    if (itemIds.size() != dataset.itemCount())
        throw Error("user ID texts: " + std::to_string(itemIds.size()) + " item IDs given for " +
                    std::to_string(dataset.itemCount()) + " items");
    // The validation and test items are the last two (leave-one-out, method.md section 3).
    const std::size_t held = history == UserIdHistory::LeakFree ? 2 : 0;
    std::vector<std::string> texts(dataset.userCount());
    for (std::size_t user = 0; user < dataset.userCount(); ++user) {
        const auto items = dataset.sequence(user);
        const std::size_t readable = items.size() > held ? items.size() - held : 0;
        std::string &text = texts[user];
        for (std::size_t i = 0; i < readable; ++i) {
            const std::string &id = itemIds[items[i]];
            if (id.empty())
                continue;
            if (!text.empty())
                text.push_back(' ');
            text += id;
        }
    }
    return texts;
}

} // namespace idgen
