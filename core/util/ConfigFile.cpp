#include "util/ConfigFile.h"

#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/TextReader.h"

#include <toml++/toml.h>

#include <cstdio>
#include <cstring>
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

// toml++ 3.3 (Debian 12) reaches __builtin_unreachable() when it asks whether some non-ASCII
// characters are white space (is_non_ascii_horizontal_whitespace: U+00A1..U+0499,
// U+2C5E..U+3057 but U+3000, U+FB26..U+FEFE; found by fuzz_config), which it may do wherever it
// reads such a character. So none of them reaches toml++: in double-quoted strings they become
// \uXXXX escapes (the same value), in comments '?', anywhere else the text is refused naming its
// line. TOML allows non-ASCII text only in strings and comments anyway.
bool trapsToml(std::uint32_t c)
{
    return (c >= 0xA1 && c <= 0x499) || (c >= 0x2C5E && c <= 0x3057 && c != 0x3000) || (c >= 0xFB26 && c <= 0xFEFE);
}

// The code point of the UTF-8 sequence at text[i] and its length; length 1 and 0xFFFD when invalid
// (toml++ refuses invalid UTF-8 itself).
std::pair<std::uint32_t, std::size_t> codePointAt(const std::string &text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (length == 1 || i + length > text.size() || !isValidUtf8(std::string_view(text).substr(i, length)))
        return {0xFFFD, 1};
    std::uint32_t c = lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k)
        c = (c << 6) | (byte(i + k) & 0x3F);
    return {c, length};
}

std::string tomlSafeText(const std::string &text, const std::string &source)
{
    enum class State { Plain, Comment, Basic, Literal, MultiBasic, MultiLiteral };
    State state = State::Plain;
    std::uint64_t line = 1;
    std::string out;
    out.reserve(text.size());
    const bool byteOrderMark = text.rfind("\xEF\xBB\xBF", 0) == 0;
    if (byteOrderMark)
        out += "\xEF\xBB\xBF";
    const auto refuse = [&](const std::string &problem) { throw InputError(source, line, "", problem); };
    for (std::size_t i = byteOrderMark ? 3 : 0; i < text.size();) {
        const char c = text[i];
        const auto starts = [&](const char *token) { return text.compare(i, std::strlen(token), token) == 0; };
        if (static_cast<unsigned char>(c) >= 0x80) {
            const auto [codePoint, length] = codePointAt(text, i);
            if (length == 1) // toml++ might decode a malformed sequence into one of the characters above
                refuse("not valid UTF-8 text");
            if (state == State::Plain)
                refuse("non-ASCII character outside a string or comment (TOML allows it only in quotes)");
            if (!trapsToml(codePoint)) {
                out.append(text, i, length);
            } else if (state == State::Comment) {
                out += '?';
            } else if (state == State::Basic || state == State::MultiBasic) {
                char escape[8];
                std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(codePoint));
                out += escape;
            } else {
                refuse("this character needs a double-quoted string here (toml++ cannot read it in a literal string)");
            }
            i += length;
            continue;
        }
        std::size_t length = 1;
        if (c == '\n') {
            ++line;
            if (state == State::Comment || state == State::Basic || state == State::Literal)
                state = State::Plain; // single-line constructs end here (toml++ reports an open string)
        } else if (state == State::Plain) {
            if (c == '#')
                state = State::Comment;
            else if (starts("\"\"\""))
                state = State::MultiBasic, length = 3;
            else if (starts("'''"))
                state = State::MultiLiteral, length = 3;
            else if (c == '"')
                state = State::Basic;
            else if (c == '\'')
                state = State::Literal;
        } else if (state == State::Basic || state == State::MultiBasic) {
            if (c == '\\' && i + 1 < text.size()) {
                if (static_cast<unsigned char>(text[i + 1]) >= 0x80)
                    refuse("a backslash before a non-ASCII character is no TOML escape");
                line += text[i + 1] == '\n' ? 1 : 0;
                length = 2; // an escaped character, possibly a quote or a line break
            } else if (state == State::MultiBasic && starts("\"\"\"")) {
                state = State::Plain, length = 3;
            } else if (state == State::Basic && c == '"') {
                state = State::Plain;
            }
        } else if (state == State::Literal && c == '\'') {
            state = State::Plain;
        } else if (state == State::MultiLiteral && starts("'''")) {
            state = State::Plain, length = 3;
        }
        out.append(text, i, length);
        i += length;
    }
    return out;
}

std::shared_ptr<toml::table> parse(const std::string &text, const std::string &source)
{
    const std::string safe = tomlSafeText(text, source);
    try {
        return std::make_shared<toml::table>(toml::parse(safe, source));
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

void ConfigTable::fail(const std::string &key, const std::string &problem) const
{
    m->fail(key, problem);
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
