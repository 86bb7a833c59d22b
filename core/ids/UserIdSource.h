#pragma once

#include "data/Dataset.h"

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace idgen {

// Which of a user's items the text behind the user's textual ID may read (method.md 2.1).
enum class UserIdHistory {
    // items[:-2]: the training part of the leave-one-out split, so neither the validation nor the
    // test item leaks into the ID that every prompt of the user carries. The default.
    LeakFree,
    // All items, validation and test included: the published code's leak, for reproduction only.
    Leaky,
};

const char *userIdHistoryName(UserIdHistory history); // "leak-free" or "leaky"
UserIdHistory parseUserIdHistory(std::string_view name); // throws an Error naming the choices

// Per user, in user order: the IDs of the user's items (itemIds[item], by dense item index) in
// time order, joined by single spaces, as the published code builds the user ID generator's
// input. Users with no readable items (leak-free: 2 items or fewer) get an empty text. Throws an
// Error when itemIds does not have one text per item of the dataset.
std::vector<std::string> userHistoryTexts(const Dataset &dataset, std::span<const std::string> itemIds,
                                          UserIdHistory history = UserIdHistory::LeakFree);

} // namespace idgen
