#include "ids/schemes/IdScheme.h"

#include "ids/schemes/Schemes.h"
#include "util/Error.h"

#include <charconv>

namespace idgen {

std::vector<std::string> IdSchemeNeeds::names() const
{
    std::vector<std::string> out;
    if (generatorModel)
        out.emplace_back("generator model");
    if (itemText)
        out.emplace_back("item text");
    if (embeddings)
        out.emplace_back("embeddings");
    if (baselineRun)
        out.emplace_back("trained baseline run");
    if (project)
        out.emplace_back("project");
    if (inputFile)
        out.emplace_back("input file");
    return out;
}

const std::vector<std::unique_ptr<IdScheme>> &allIdSchemes()
{
    static const std::vector<std::unique_ptr<IdScheme>> schemes = [] {
        std::vector<std::unique_ptr<IdScheme>> list;
        list.push_back(makeSequentialIdScheme());
        list.push_back(makeRandomIdScheme());
        list.push_back(makeTitleIdScheme());
        list.push_back(makeTextualIdScheme());
        list.push_back(makeFileIdScheme());
        list.push_back(makeAtomicIdScheme());
        list.push_back(makeCidIdScheme());
        list.push_back(makeRqvaeIdScheme());
        list.push_back(makeLetterIdScheme());
        return list;
    }();
    return schemes;
}

std::vector<std::string> idSchemeNames()
{
    std::vector<std::string> names;
    for (const auto &scheme : allIdSchemes())
        names.push_back(scheme->name());
    return names;
}

std::string idSchemeList()
{
    std::string list;
    for (const auto &name : idSchemeNames())
        list += (list.empty() ? "" : ", ") + name;
    return list;
}

const IdScheme &idSchemeByName(std::string_view name)
{
    for (const auto &scheme : allIdSchemes()) {
        if (scheme->name() == name)
            return *scheme;
    }
    throw Error("ID scheme '" + std::string(name) + "' is not known (use " + idSchemeList() + ")");
}

nlohmann::json idSchemesJson()
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto &scheme : allIdSchemes()) {
        nlohmann::json options = nlohmann::json::array();
        for (const IdSchemeOption &option : scheme->options())
            options.push_back({{"name", option.name}, {"help", option.help}, {"default", option.defaultValue}});
        out.push_back({{"name", scheme->name()},
                       {"description", scheme->description()},
                       {"needs", scheme->needs().names()},
                       {"options", options}});
    }
    return out;
}

const nlohmann::json *SchemeOptionReader::find(const std::string &name) const
{
    if (!m_values.is_object())
        return nullptr;
    const auto it = m_values.find(name);
    return it == m_values.end() || it->is_null() ? nullptr : &*it;
}

namespace {

template <typename T>
T parseNumber(const std::string &name, const nlohmann::json &value)
{
    if (value.is_number())
        return value.get<T>();
    if (!value.is_string())
        throw Error("--" + name + ": expected a number, got " + value.dump());
    const std::string text = value.get<std::string>();
    T out{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    if (ec != std::errc() || end != text.data() + text.size())
        throw Error("--" + name + ": '" + text + "' is not a" +
                    (std::is_integral_v<T> ? "n integer" : " number"));
    return out;
}

} // namespace

std::int64_t SchemeOptionReader::integer(const std::string &name, std::int64_t fallback, std::int64_t min,
                                         std::int64_t max) const
{
    const nlohmann::json *value = find(name);
    const std::int64_t out = value ? parseNumber<std::int64_t>(name, *value) : fallback;
    if (out < min || out > max)
        throw Error("--" + name + ": " + std::to_string(out) + " is outside " + std::to_string(min) + ".." +
                    std::to_string(max));
    return out;
}

double SchemeOptionReader::number(const std::string &name, double fallback, double min, double max) const
{
    const nlohmann::json *value = find(name);
    const double out = value ? parseNumber<double>(name, *value) : fallback;
    if (!(out >= min && out <= max))
        throw Error("--" + name + ": " + std::to_string(out) + " is outside " + std::to_string(min) + ".." +
                    std::to_string(max));
    return out;
}

std::string SchemeOptionReader::text(const std::string &name, const std::string &fallback) const
{
    const nlohmann::json *value = find(name);
    if (!value)
        return fallback;
    if (!value->is_string())
        throw Error("--" + name + ": expected text, got " + value->dump());
    return value->get<std::string>();
}

} // namespace idgen
