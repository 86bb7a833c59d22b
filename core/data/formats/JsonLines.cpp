#include "data/formats/JsonLines.h"

#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/TextReader.h"

namespace idgen {

bool hasJsonKey(std::string_view line, std::string_view key)
{
    for (const char quote : {'"', '\''}) {
        const std::string quoted = quote + std::string(key) + quote;
        for (auto pos = line.find(quoted); pos != std::string_view::npos; pos = line.find(quoted, pos + 1)) {
            const auto after = line.find_first_not_of(" \t", pos + quoted.size());
            if (after != std::string_view::npos && line[after] == ':')
                return true;
        }
    }
    return false;
}

void checkIdLength(std::string_view id, std::string_view field, const TextReader &reader)
{
    if (id.size() > kMaxIdBytes)
        reader.fail(std::string(field), "id is " + byteSizeText(id.size()) + " long, more than the " +
                                            byteSizeText(kMaxIdBytes) + " an id may have (is it the right column?)");
}

std::string describeJsonError(const std::string &what)
{
    // "[json.exception.parse_error.101] parse error at line 1, column 7: syntax error ..."
    const auto column = what.find("column ");
    if (column != std::string::npos) {
        const auto colon = what.find(": ", column);
        if (colon != std::string::npos)
            return "not valid JSON (at character " + what.substr(column + 7, colon - column - 7) +
                   "): " + what.substr(colon + 2);
    }
    return "not valid JSON: " + what;
}

class JsonFieldPicker::Handler {
public:
    using Json = nlohmann::json;

    explicit Handler(JsonFieldPicker &picker) : m_picker(picker) {}

    bool null() { return scalar([](JsonScalar &v) { v.kind = JsonScalar::Kind::Null; }); }
    bool boolean(bool value)
    {
        return scalar([&](JsonScalar &v) {
            v.kind = JsonScalar::Kind::Boolean;
            v.integer = value ? 1 : 0;
        });
    }
    bool number_integer(Json::number_integer_t value)
    {
        return scalar([&](JsonScalar &v) {
            v.kind = JsonScalar::Kind::Integer;
            v.integer = value;
            v.number = static_cast<double>(value);
        });
    }
    bool number_unsigned(Json::number_unsigned_t value)
    {
        return scalar([&](JsonScalar &v) {
            // Beyond int64 it is no timestamp anyone wrote; keep it as a float.
            const bool fits = value <= static_cast<Json::number_unsigned_t>(INT64_MAX);
            v.kind = fits ? JsonScalar::Kind::Integer : JsonScalar::Kind::Float;
            v.integer = fits ? static_cast<std::int64_t>(value) : 0;
            v.number = static_cast<double>(value);
        });
    }
    bool number_float(Json::number_float_t value, const Json::string_t &)
    {
        return scalar([&](JsonScalar &v) {
            v.kind = JsonScalar::Kind::Float;
            v.number = value;
        });
    }
    bool string(Json::string_t &value)
    {
        return scalar([&](JsonScalar &v) {
            v.kind = JsonScalar::Kind::String;
            v.text.assign(value); // assign, not move: the lexer reuses its buffer's capacity
        });
    }
    bool binary(Json::binary_t &) { return scalar([](JsonScalar &v) { v.kind = JsonScalar::Kind::Composite; }); }

    bool start_object(std::size_t)
    {
        if (m_depth == 0 && m_sawRoot)
            return notAnObject();
        m_sawRoot = true;
        return openComposite();
    }
    bool end_object()
    {
        --m_depth;
        return true;
    }
    bool start_array(std::size_t)
    {
        if (m_depth == 0)
            return notAnObject();
        return openComposite();
    }
    bool end_array()
    {
        --m_depth;
        return true;
    }
    bool key(Json::string_t &name)
    {
        if (m_depth != 1)
            return true;
        m_pending = -1;
        for (std::size_t i = 0; i < m_picker.m_keys.size(); ++i) {
            if (m_picker.m_keys[i] == name) {
                m_pending = static_cast<int>(i);
                break;
            }
        }
        return true;
    }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &error)
    {
        m_error = describeJsonError(error.what());
        return false;
    }

    const std::string &error() const { return m_error; }

private:
    template <typename Set>
    bool scalar(Set set)
    {
        if (m_depth == 0)
            return notAnObject();
        if (m_depth == 1 && m_pending >= 0) {
            set(m_picker.m_values[static_cast<std::size_t>(m_pending)]);
            m_pending = -1;
        }
        return true;
    }

    bool openComposite()
    {
        if (m_depth >= kMaxNestingDepth) {
            m_error = "values nested deeper than " + std::to_string(kMaxNestingDepth) + " levels";
            return false;
        }
        if (m_depth == 1 && m_pending >= 0) {
            m_picker.m_values[static_cast<std::size_t>(m_pending)].kind = JsonScalar::Kind::Composite;
            m_pending = -1;
        }
        ++m_depth;
        return true;
    }

    bool notAnObject()
    {
        m_error = "expected one JSON object on this line";
        return false;
    }

    JsonFieldPicker &m_picker;
    int m_depth = 0;
    int m_pending = -1;
    bool m_sawRoot = false;
    std::string m_error;
};

JsonFieldPicker::JsonFieldPicker(std::initializer_list<std::string_view> keys)
    : m_keys(keys.begin(), keys.end())
    , m_values(keys.size())
{
}

void JsonFieldPicker::parse(std::string_view line, const TextReader &reader)
{
    for (JsonScalar &value : m_values)
        value.kind = JsonScalar::Kind::Missing;
    Handler handler(*this);
    const bool ok = nlohmann::json::sax_parse(line.data(), line.data() + line.size(), &handler);
    if (!ok)
        reader.fail("", handler.error().empty() ? std::string("not valid JSON") : handler.error());
}

std::string_view JsonFieldPicker::requireString(std::size_t index, const TextReader &reader) const
{
    const JsonScalar &value = m_values[index];
    if (value.kind == JsonScalar::Kind::Missing)
        reader.fail(m_keys[index], "missing");
    if (value.kind != JsonScalar::Kind::String)
        reader.fail(m_keys[index], "expected a string");
    if (value.text.empty())
        reader.fail(m_keys[index], "empty id");
    checkIdLength(value.text, m_keys[index], reader);
    return value.text;
}

std::string textField(const nlohmann::ordered_json &record, const char *key, const TextReader &reader)
{
    const auto found = record.find(key);
    if (found == record.end() || found->is_null())
        return {};
    if (!found->is_string())
        reader.fail(key, "expected text, got " + found->dump());
    const auto &text = found->get_ref<const std::string &>();
    if (text.size() > kMaxTextFieldBytes)
        reader.fail(key, "text is " + byteSizeText(text.size()) + " long, more than the " +
                             byteSizeText(kMaxTextFieldBytes) + " a field may have");
    return text;
}

const std::string &requiredId(const nlohmann::ordered_json &record, const char *key, const TextReader &reader)
{
    const auto found = record.find(key);
    if (found == record.end())
        reader.fail(key, "missing");
    if (!found->is_string() || found->get_ref<const std::string &>().empty())
        reader.fail(key, "expected a non-empty id");
    checkIdLength(found->get_ref<const std::string &>(), key, reader);
    return found->get_ref<const std::string &>();
}

nlohmann::ordered_json parseJsonLine(std::string_view line, const TextReader &reader)
{
    nlohmann::ordered_json value;
    const auto limitDepth = [&](int depth, nlohmann::ordered_json::parse_event_t, nlohmann::ordered_json &) {
        if (depth > kMaxNestingDepth)
            reader.fail("", "values nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
        return true;
    };
    try {
        value = nlohmann::ordered_json::parse(line, limitDepth);
    } catch (const nlohmann::json::parse_error &error) {
        reader.fail("", describeJsonError(error.what()));
    }
    if (!value.is_object())
        reader.fail("", "expected one JSON object on this line");
    return value;
}

} // namespace idgen
