#include "data/ItemText.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace idgen {
namespace {

std::string lowerAscii(std::string text)
{
    for (char &c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Collapses white space (including newlines inside descriptions) to single spaces.
std::string singleSpaced(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    bool space = false;
    for (const char c : text) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            space = !out.empty();
            continue;
        }
        if (space)
            out.push_back(' ');
        space = false;
        out.push_back(c);
    }
    return out;
}

std::string valueText(const nlohmann::ordered_json &value)
{
    if (value.is_string())
        return singleSpaced(value.get<std::string>());
    if (value.is_number_integer())
        return std::to_string(value.get<std::int64_t>());
    if (value.is_number()) {
        char text[32];
        std::snprintf(text, sizeof text, "%g", value.get<double>());
        return text;
    }
    if (value.is_array()) {
        std::string out;
        for (const auto &element : value) {
            const std::string part = valueText(element);
            if (!part.empty())
                out += (out.empty() ? "" : ", ") + part;
        }
        return out;
    }
    return {};
}

bool contains(const std::vector<std::string> &names, const std::string &name)
{
    return std::find(names.begin(), names.end(), lowerAscii(name)) != names.end();
}

} // namespace

std::string renderItemText(const ItemFields &fields, const ItemTextOptions &options)
{
    if (!fields.is_object())
        return {};
    std::string out;
    auto append = [&](const std::string &name, const nlohmann::ordered_json &value) {
        const std::string text = valueText(value);
        if (text.empty())
            return;
        std::string label = name;
        std::replace(label.begin(), label.end(), '_', ' ');
        out += (out.empty() ? "" : "; ") + label + ": " + text;
    };
    for (const auto &name : options.order) {
        const auto it = fields.find(name);
        if (it != fields.end())
            append(name, *it);
    }
    if (!options.onlyListed) {
        for (const auto &[name, value] : fields.items()) {
            if (!contains(options.order, name) && !contains(options.exclude, name))
                append(name, value);
        }
    }
    if (options.lowercase)
        out = lowerAscii(std::move(out));
    if (options.maxChars > 0 && out.size() > options.maxChars) {
        auto cut = out.rfind(' ', options.maxChars);
        out.resize(cut == std::string::npos || cut == 0 ? options.maxChars : cut);
    }
    return out;
}

} // namespace idgen
