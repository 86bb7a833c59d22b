#include "data/DatasetBuilder.h"
#include "data/formats/Formats.h"
#include "data/formats/ImportContext.h"
#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/TextReader.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <iterator>

namespace idgen {
namespace {

using Json = nlohmann::ordered_json;

// The characters of a TextReader's lines, rejoined with '\n', as an input iterator for
// nlohmann's parser: the file streams (gzip'd or not, UTF-8 checked) instead of being loaded,
// and the parser's own line numbers stay those of the file.
class JsonStream {
public:
    explicit JsonStream(TextReader &reader) : m_reader(reader) { m_end = !m_reader.nextLine(m_line); }
    bool atEnd() const { return m_end; }
    char current() const { return m_pos < m_line.size() ? m_line[m_pos] : '\n'; }
    void advance()
    {
        if (m_pos < m_line.size()) {
            ++m_pos;
            return;
        }
        m_pos = 0; // past the '\n' that ends the line
        m_end = !m_reader.nextLine(m_line);
    }

private:
    TextReader &m_reader;
    std::string_view m_line;
    std::size_t m_pos = 0;
    bool m_end = false;
};

class JsonChars {
public:
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char *;
    using reference = char;

    JsonChars() = default; // the end
    explicit JsonChars(JsonStream &stream) : m_stream(&stream) {}
    char operator*() const { return m_stream->current(); }
    JsonChars &operator++()
    {
        m_stream->advance();
        return *this;
    }
    JsonChars operator++(int)
    {
        JsonChars before = *this;
        m_stream->advance();
        return before;
    }
    bool operator==(const JsonChars &other) const { return atEnd() == other.atEnd(); }
    bool operator!=(const JsonChars &other) const { return !(*this == other); }

private:
    bool atEnd() const { return !m_stream || m_stream->atEnd(); }
    JsonStream *m_stream = nullptr;
};

// SAX handler for a file that is one JSON object, {"key": value, ...}: hands each member over as
// soon as its value is complete, so memory holds one value at a time (never the whole file) and
// members arrive in the file's order.
class MemberReader {
public:
    using Member = std::function<void(const std::string &key, Json &value, std::uint64_t line)>;

    MemberReader(TextReader &reader, std::string what, Member onMember)
        : m_reader(reader)
        , m_what(std::move(what))
        , m_onMember(std::move(onMember))
    {
    }

    void run()
    {
        JsonStream stream(m_reader);
        Json::sax_parse(JsonChars(stream), JsonChars(), this);
        if (!m_sawObject)
            m_reader.fail("", "expected a JSON object " + m_what);
    }

    bool null() { return value(nullptr); }
    bool boolean(bool v) { return value(v); }
    bool number_integer(Json::number_integer_t v) { return value(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return value(v); }
    bool number_float(Json::number_float_t v, const std::string &) { return value(v); }
    bool string(std::string &v) { return value(std::move(v)); }
    bool binary(Json::binary_t &) { return value(nullptr); }

    bool start_object(std::size_t) { return open(Json::object()); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }

    bool key(std::string &name)
    {
        if (m_stack.empty()) {
            m_key = name;
            m_keyLine = m_reader.lineNumber();
        } else {
            m_slot = &(*m_stack.back())[name];
        }
        return true;
    }

    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &error)
    {
        // "[json.exception.parse_error.101] parse error at line 3, column 7: ..." -> from "parse error".
        std::string message = error.what();
        const auto bracket = message.find("] ");
        if (bracket != std::string::npos)
            message.erase(0, bracket + 2);
        m_reader.fail("", message);
    }

private:
    bool open(Json container)
    {
        if (!m_sawObject) {
            if (!container.is_object())
                m_reader.fail("", "expected a JSON object " + m_what + ", found an array");
            m_sawObject = true;
            m_inTop = true;
            return true;
        }
        if (m_stack.size() >= static_cast<std::size_t>(kMaxNestingDepth))
            m_reader.fail("", "values nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
        if (m_stack.empty()) {
            m_value = std::move(container);
            m_stack.push_back(&m_value);
        } else {
            Json *slot = place(std::move(container));
            m_stack.push_back(slot);
        }
        return true;
    }

    bool close()
    {
        if (m_stack.empty()) {
            m_inTop = false; // the end of the top-level object
            return true;
        }
        m_stack.pop_back();
        if (m_stack.empty())
            deliver();
        return true;
    }

    template <typename T>
    bool value(T &&v)
    {
        if (!m_inTop)
            m_reader.fail("", "expected a JSON object " + m_what);
        if (m_stack.empty()) {
            m_value = Json(std::forward<T>(v));
            deliver();
        } else {
            place(Json(std::forward<T>(v)));
        }
        return true;
    }

    Json *place(Json v)
    {
        Json &parent = *m_stack.back();
        if (parent.is_array()) {
            parent.push_back(std::move(v));
            return &parent.back();
        }
        *m_slot = std::move(v);
        return m_slot;
    }

    void deliver()
    {
        m_onMember(m_key, m_value, m_keyLine);
        m_value = nullptr;
    }

    TextReader &m_reader;
    std::string m_what;
    Member m_onMember;
    bool m_sawObject = false;
    bool m_inTop = false;
    std::string m_key;
    std::uint64_t m_keyLine = 0;
    Json m_value;
    std::vector<Json *> m_stack; // containers open inside the current member's value
    Json *m_slot = nullptr;      // where the next value of an object goes
};

// The first member's value of a JSON object, from the file's first bytes: '[' then a digit for
// interactions, '{' for items; 0 when the head is not such an object.
char firstValueStart(std::string_view head, char &firstElement)
{
    std::size_t pos = 0;
    auto skipSpace = [&] {
        while (pos < head.size() && std::isspace(static_cast<unsigned char>(head[pos])))
            ++pos;
    };
    auto at = [&](char c) { return pos < head.size() && head[pos] == c; };
    skipSpace();
    if (!at('{'))
        return 0;
    ++pos;
    skipSpace();
    if (!at('"'))
        return 0;
    for (++pos; pos < head.size() && head[pos] != '"'; ++pos) {
        if (head[pos] == '\\')
            ++pos;
    }
    if (pos >= head.size())
        return 0;
    ++pos;
    skipSpace();
    if (!at(':'))
        return 0;
    ++pos;
    skipSpace();
    if (pos >= head.size())
        return 0;
    const char start = head[pos++];
    skipSpace();
    firstElement = pos < head.size() ? head[pos] : 0;
    return start;
}

// LC-Rec / LETTER JSON: X.inter.json = {"user_idx": [item_idx, ...]} (time order, 0-based
// indices) and X.item.json = {"item_idx": {"title": ..., "description": ..., ...}}.
class LcRecFormat final : public Format {
public:
    std::string name() const override { return "lcrec"; }
    std::string description() const override
    {
        return "LC-Rec / LETTER JSON: X.inter.json {\"user\": [items]} (+ X.item.json {\"item\": {fields}})";
    }
    int defaultKCore() const override { return 0; }

    int detectInteractions(const FileSniff &file) const override
    {
        char element = 0;
        const char start = firstValueStart(file.head, element);
        return start == '[' && std::isdigit(static_cast<unsigned char>(element)) ? 85 : 0;
    }

    int detectItems(const FileSniff &file) const override
    {
        char element = 0;
        return firstValueStart(file.head, element) == '{' ? 85 : 0;
    }

    void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        TextReader reader(sources.interactions);
        builder.setSource(&reader);
        MemberReader members(reader, "{\"user\": [item, ...], ...}",
                             [&](const std::string &user, Json &items, std::uint64_t line) {
            context.advance(reader);
            auto fail = [&](const std::string &problem) {
                throw InputError(reader.fileName(), line, user, problem);
            };
            if (!items.is_array())
                fail("expected a list of item indices, found " + std::string(items.type_name()));
            if (items.empty())
                fail("user '" + user + "' has no items");
            if (builder.hasUser(user))
                fail("duplicate user '" + user + "'");
            for (const Json &item : items) {
                if (!item.is_number_unsigned())
                    fail("item indices must be non-negative integers, found " + item.dump());
                builder.addInteraction(user, std::to_string(item.get<std::uint64_t>()));
            }
        });
        members.run();
    }

    bool readsItems() const override { return true; }

    void readItems(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const override
    {
        const std::filesystem::path &file = *sources.items;
        TextReader reader(file);
        MemberReader members(reader, "{\"item\": {\"title\": ..., ...}, ...}",
                             [&](const std::string &item, Json &fields, std::uint64_t line) {
            context.advance(reader);
            if (!fields.is_object())
                throw InputError(reader.fileName(), line, item,
                                 "expected an object of item fields, found " + std::string(fields.type_name()));
            // Text and numbers are kept as given, in order; lists only when they hold text.
            ItemFields record = ItemFields::object();
            for (auto &[name, value] : fields.items()) {
                const bool textList = value.is_array() && !value.empty() &&
                                      std::all_of(value.begin(), value.end(), [](const Json &v) { return v.is_string(); });
                if (value.is_string() || value.is_number() || textList)
                    record[name] = std::move(value);
            }
            builder.setItemFields(item, std::move(record), reader.fileName(), line);
        });
        members.run();
    }
};

} // namespace

std::unique_ptr<Format> makeLcRecFormat()
{
    return std::make_unique<LcRecFormat>();
}

} // namespace idgen
