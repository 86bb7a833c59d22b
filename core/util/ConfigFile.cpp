#include "util/ConfigFile.h"

#include "util/Error.h"
#include "util/InputLimits.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace idgen {

struct ConfigTable::Impl {
    std::shared_ptr<toml::table> root; // keeps the parsed document alive for every section
    const toml::table *table = nullptr;
    std::string source;
    std::string prefix; // "section." for error messages
    std::set<std::string> used;
    std::vector<std::shared_ptr<Impl>> sections;

    std::uint64_t lineOf(const std::string &key) const
    {
        const toml::node *node = table ? table->get(key) : nullptr;
        return node ? node->source().begin.line : 0;
    }
    [[noreturn]] void fail(const std::string &key, const std::string &problem) const
    {
        throw InputError(source, lineOf(key), prefix + key, problem);
    }
    const toml::node *find(const std::string &key)
    {
        used.insert(key);
        return table ? table->get(key) : nullptr;
    }
};

namespace {

std::shared_ptr<toml::table> parse(const std::string &text, const std::string &source)
{
    try {
        return std::make_shared<toml::table>(toml::parse(text, source));
    } catch (const toml::parse_error &error) {
        throw InputError(source, error.source().begin.line, "", std::string(error.description()));
    }
}

} // namespace

ConfigTable::ConfigTable(std::shared_ptr<Impl> impl) : m(std::move(impl)) {}
ConfigTable::ConfigTable(ConfigTable &&) noexcept = default;
ConfigTable &ConfigTable::operator=(ConfigTable &&) noexcept = default;
ConfigTable::~ConfigTable() = default;

std::string readConfigText(const std::filesystem::path &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw InputError(path.string(), 0, "", "config file not found or not a regular file");
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > kMaxConfigBytes)
        throw InputError(path.string(), 0, "",
                         "config file is " + byteSizeText(size) + ", more than the " + byteSizeText(kMaxConfigBytes) +
                             " a config may have; is it the right file?");
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof())
        throw Error("cannot read config file " + path.string());
    return text.str();
}

ConfigTable ConfigTable::parseFile(const std::filesystem::path &path)
{
    return parseText(readConfigText(path), path.string());
}

ConfigTable ConfigTable::parseText(const std::string &text, const std::string &source)
{
    auto impl = std::make_shared<Impl>();
    impl->root = parse(text, source);
    impl->table = impl->root.get();
    impl->source = source;
    return ConfigTable(std::move(impl));
}

bool ConfigTable::has(const std::string &key) const
{
    return m->table && m->table->contains(key);
}

ConfigTable ConfigTable::section(const std::string &key)
{
    auto impl = std::make_shared<Impl>();
    impl->root = m->root;
    impl->source = m->source;
    impl->prefix = m->prefix + key + ".";
    if (const toml::node *node = m->find(key)) {
        impl->table = node->as_table();
        if (!impl->table)
            m->fail(key, "must be a table ([" + m->prefix + key + "])");
    }
    m->sections.push_back(impl);
    return ConfigTable(impl);
}

std::int64_t ConfigTable::integer(const std::string &key, std::int64_t fallback)
{
    const toml::node *node = m->find(key);
    if (!node)
        return fallback;
    if (const auto value = node->value_exact<std::int64_t>())
        return *value;
    m->fail(key, "must be an integer");
}

double ConfigTable::real(const std::string &key, double fallback)
{
    const toml::node *node = m->find(key);
    if (!node)
        return fallback;
    if (const auto value = node->value_exact<double>())
        return *value;
    if (const auto value = node->value_exact<std::int64_t>())
        return static_cast<double>(*value);
    m->fail(key, "must be a number");
}

bool ConfigTable::boolean(const std::string &key, bool fallback)
{
    const toml::node *node = m->find(key);
    if (!node)
        return fallback;
    if (const auto value = node->value_exact<bool>())
        return *value;
    m->fail(key, "must be true or false");
}

std::string ConfigTable::string(const std::string &key, const std::string &fallback)
{
    const toml::node *node = m->find(key);
    if (!node)
        return fallback;
    if (const auto value = node->value_exact<std::string>())
        return *value;
    m->fail(key, "must be a string");
}

std::int64_t ConfigTable::integerIn(const std::string &key, std::int64_t fallback, std::int64_t low, std::int64_t high)
{
    const std::int64_t value = integer(key, fallback);
    if (value < low || value > high)
        m->fail(key, std::to_string(value) + " is outside " + std::to_string(low) + ".." + std::to_string(high));
    return value;
}

double ConfigTable::realIn(const std::string &key, double fallback, double low, double high)
{
    const double value = real(key, fallback);
    if (!(value >= low && value <= high)) {
        std::ostringstream text;
        text << value << " is outside " << low << ".." << high;
        m->fail(key, text.str());
    }
    return value;
}

std::string ConfigTable::oneOf(const std::string &key, const std::string &fallback, const std::set<std::string> &allowed)
{
    const std::string value = string(key, fallback);
    if (!allowed.contains(value)) {
        std::string list;
        for (const auto &a : allowed)
            list += (list.empty() ? "" : ", ") + a;
        m->fail(key, "'" + value + "' is not one of " + list);
    }
    return value;
}

void ConfigTable::finish() const
{
    if (m->table)
        for (const auto &[key, node] : *m->table) {
            const std::string name(key.str());
            if (!m->used.contains(name))
                throw InputError(m->source, node.source().begin.line, m->prefix + name, "unknown key");
        }
    for (const auto &section : m->sections)
        ConfigTable(section).finish();
}

const std::string &ConfigTable::source() const
{
    return m->source;
}

} // namespace idgen
