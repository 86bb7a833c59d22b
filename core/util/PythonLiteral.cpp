#include "util/PythonLiteral.h"

#include "util/Error.h"
#include "util/InputLimits.h"
#include "util/TextReader.h"

#include <charconv>
#include <string>

namespace idgen {
namespace {

using Json = nlohmann::ordered_json;

class Parser {
public:
    explicit Parser(std::string_view text) : m_text(text) {}

    Json parseDocument()
    {
        Json value = parseValue();
        skipSpace();
        if (m_pos != m_text.size())
            fail("unexpected text after the literal");
        return value;
    }

private:
    [[noreturn]] void fail(const std::string &what) const
    {
        throw Error("Python literal, at character " + std::to_string(m_pos + 1) + ": " + what);
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' || m_text[m_pos] == '\n' ||
                                         m_text[m_pos] == '\r'))
            ++m_pos;
    }

    char peek()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            fail("unexpected end of text");
        return m_text[m_pos];
    }

    bool consumeWord(std::string_view word)
    {
        if (m_text.substr(m_pos, word.size()) != word)
            return false;
        m_pos += word.size();
        return true;
    }

    // Containers recurse: bound the depth before the stack does.
    class Nesting {
    public:
        explicit Nesting(Parser &parser) : m_parser(parser)
        {
            if (++m_parser.m_depth > kMaxNestingDepth)
                m_parser.fail("nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
        }
        ~Nesting() { --m_parser.m_depth; }
        Nesting(const Nesting &) = delete;
        Nesting &operator=(const Nesting &) = delete;

    private:
        Parser &m_parser;
    };

    Json parseValue()
    {
        const char c = peek();
        if (c == '{') {
            const Nesting nesting(*this);
            return parseDict();
        }
        if (c == '[' || c == '(') {
            const Nesting nesting(*this);
            return c == '[' ? parseSequence('[', ']') : parseSequence('(', ')');
        }
        if (c == '\'' || c == '"')
            return parseString();
        if (consumeWord("True"))
            return true;
        if (consumeWord("False"))
            return false;
        if (consumeWord("None"))
            return nullptr;
        return parseNumber();
    }

    Json parseDict()
    {
        ++m_pos;
        Json object = Json::object();
        if (peek() == '}') {
            ++m_pos;
            return object;
        }
        for (;;) {
            Json key = parseValue();
            if (peek() != ':')
                fail("expected ':' in a dict");
            ++m_pos;
            Json value = parseValue();
            object[key.is_string() ? key.get<std::string>() : key.dump()] = std::move(value);
            const char next = peek();
            ++m_pos;
            if (next == '}')
                return object;
            if (next != ',')
                fail("expected ',' or '}' in a dict");
            if (peek() == '}') {
                ++m_pos;
                return object;
            }
        }
    }

    Json parseSequence(char open, char close)
    {
        (void)open;
        ++m_pos;
        Json array = Json::array();
        if (peek() == close) {
            ++m_pos;
            return array;
        }
        for (;;) {
            array.push_back(parseValue());
            const char next = peek();
            ++m_pos;
            if (next == close)
                return array;
            if (next != ',')
                fail(std::string("expected ',' or '") + close + "'");
            if (peek() == close) {
                ++m_pos;
                return array;
            }
        }
    }

    static void appendUtf8(std::string &out, std::uint32_t cp)
    {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    std::uint32_t parseHex(std::size_t digits)
    {
        if (m_pos + digits > m_text.size())
            fail("truncated escape sequence");
        std::uint32_t value = 0;
        const auto *first = m_text.data() + m_pos;
        const auto result = std::from_chars(first, first + digits, value, 16);
        if (result.ptr != first + digits)
            fail("bad hex digits in an escape sequence");
        m_pos += digits;
        return value;
    }

    // \uXXXX, joining a UTF-16 surrogate pair written as two escapes (emoji in Amazon metadata).
    std::uint32_t parseUtf16Escape()
    {
        const std::uint32_t unit = parseHex(4);
        if (unit < 0xD800 || unit > 0xDBFF)
            return unit >= 0xDC00 && unit <= 0xDFFF ? 0xFFFD : unit;
        if (m_text.substr(m_pos, 2) != "\\u")
            return 0xFFFD;
        m_pos += 2;
        const std::uint32_t low = parseHex(4);
        if (low < 0xDC00 || low > 0xDFFF)
            return 0xFFFD;
        return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }

    Json parseString()
    {
        const char quote = m_text[m_pos++];
        std::string out;
        for (;;) {
            if (m_pos >= m_text.size())
                fail("unterminated string");
            const char c = m_text[m_pos++];
            if (c == quote) {
                // Stored and printed as JSON later, which needs UTF-8 (a fuzzed input had a raw 0xA1).
                if (!isValidUtf8(out))
                    fail("string is not valid UTF-8 text");
                return out;
            }
            if (out.size() > kMaxTextFieldBytes)
                fail("string longer than " + byteSizeText(kMaxTextFieldBytes));
            if (c != '\\') {
                out.push_back(c);
                continue;
            }
            if (m_pos >= m_text.size())
                fail("unterminated string");
            const char e = m_text[m_pos++];
            switch (e) {
            case 'n': out.push_back('\n'); break;
            case 't': out.push_back('\t'); break;
            case 'r': out.push_back('\r'); break;
            case '0': out.push_back('\0'); break;
            case 'x': appendUtf8(out, parseHex(2)); break;
            case 'u': appendUtf8(out, parseUtf16Escape()); break;
            case 'U': {
                const std::uint32_t cp = parseHex(8);
                // Python refuses these; U+FFFD keeps the text valid UTF-8 like a lone \u surrogate.
                appendUtf8(out, cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ? 0xFFFD : cp);
                break;
            }
            case '\\': case '\'': case '"': out.push_back(e); break;
            default:
                out.push_back('\\');
                out.push_back(e);
            }
        }
    }

    Json parseNumber()
    {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && std::string_view("+-0123456789.eE").find(m_text[m_pos]) != std::string_view::npos)
            ++m_pos;
        const std::string_view token = m_text.substr(start, m_pos - start);
        if (token.empty())
            fail("expected a value");
        std::int64_t integer = 0;
        auto result = std::from_chars(token.data(), token.data() + token.size(), integer);
        if (result.ec == std::errc() && result.ptr == token.data() + token.size())
            return integer;
        double real = 0;
        result = std::from_chars(token.data(), token.data() + token.size(), real);
        if (result.ec != std::errc() || result.ptr != token.data() + token.size())
            fail("not a number: '" + std::string(token) + "'");
        return real;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_depth = 0;
};

} // namespace

nlohmann::ordered_json parsePythonLiteral(std::string_view text)
{
    return Parser(text).parseDocument();
}

} // namespace idgen
