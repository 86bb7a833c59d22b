#include "util/TextReader.h"

#include "util/Error.h"
#include "util/InputLimits.h"

#include <zlib.h>

#include <cstring>

namespace idgen {
namespace {

constexpr std::size_t kChunk = 1 << 20;

gzFile asGz(void *file) { return static_cast<gzFile>(file); }

} // namespace

bool isValidUtf8(std::string_view text)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        // Fast path over ASCII, 8 bytes at a time.
        while (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, s + i, 8);
            if (word & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t extra;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            if (i + k >= n || (s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        const bool overlong = (extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

std::string latin1ToUtf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x80) {
            out.push_back(ch);
        } else {
            out.push_back(static_cast<char>(0xC0 | (c >> 6)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        }
    }
    return out;
}

TextReader::TextReader(const std::filesystem::path &path, Encoding encoding)
    : m_displayName(path.string())
    , m_encoding(encoding)
    , m_maxLineBytes(kMaxLineBytes)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw InputError(m_displayName, 0, "", "file not found or not a regular file");
    m_fileSize = std::filesystem::file_size(path, ec);
    if (m_fileSize == 0)
        throw InputError(m_displayName, 0, "", "file is empty");
    m_file = gzopen(path.c_str(), "rb");
    if (!m_file)
        throw InputError(m_displayName, 0, "", std::string("cannot open: ") + std::strerror(errno));
    gzbuffer(asGz(m_file), 256 * 1024);
    m_buffer.resize(kChunk);
}

TextReader::~TextReader()
{
    if (m_file)
        gzclose(asGz(m_file));
}

double TextReader::progress() const
{
    if (m_fileSize == 0)
        return 1.0;
    const auto offset = static_cast<double>(gzoffset(asGz(m_file)));
    return std::min(1.0, offset / static_cast<double>(m_fileSize));
}

void TextReader::fail(const std::string &field, const std::string &problem) const
{
    throw InputError(m_displayName, m_lineNumber, field, problem);
}

bool TextReader::fillBuffer()
{
    if (m_eof)
        return false;
    // Keep the unread tail, grow the buffer when one line is longer than it.
    const std::size_t tail = m_end - m_begin;
    if (m_begin > 0) {
        std::memmove(m_buffer.data(), m_buffer.data() + m_begin, tail);
        m_begin = 0;
        m_end = tail;
    }
    if (m_end == m_buffer.size()) {
        if (m_end > m_maxLineBytes)
            throw InputError(m_displayName, m_lineNumber + 1, "",
                             "line is longer than " + byteSizeText(m_maxLineBytes) +
                                 " (no line break found); not a line-oriented text file, or a corrupt one");
        m_buffer.resize(m_buffer.size() * 2);
    }
    const int got = gzread(asGz(m_file), m_buffer.data() + m_end, static_cast<unsigned>(m_buffer.size() - m_end));
    if (got < 0) {
        int code = 0;
        const char *message = gzerror(asGz(m_file), &code);
        throw InputError(m_displayName, m_lineNumber + 1, "", std::string("read error: ") + message);
    }
    if (got == 0)
        m_eof = true;
    m_end += static_cast<std::size_t>(got);
    return got > 0;
}

void TextReader::skipByteOrderMark()
{
    const auto *b = reinterpret_cast<const unsigned char *>(m_buffer.data());
    const std::size_t n = m_end;
    if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        throw InputError(m_displayName, 1, "",
                         "file is UTF-16 encoded; convert it to UTF-8 (e.g. iconv -f UTF-16 -t UTF-8)");
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        m_begin = 3;
}

bool TextReader::nextLine(std::string_view &line)
{
    auto findNewline = [this]() {
        return static_cast<const char *>(std::memchr(m_buffer.data() + m_begin, '\n', m_end - m_begin));
    };
    const char *newline = findNewline();
    while (!newline && fillBuffer())
        newline = findNewline(); // fillBuffer may move the buffer: search again
    if (m_lineNumber == 0 && m_begin == 0)
        skipByteOrderMark();
    if (!newline && m_begin == m_end)
        return false;

    const char *start = m_buffer.data() + m_begin;
    std::size_t length = newline ? static_cast<std::size_t>(newline - start) : m_end - m_begin;
    if (length > m_maxLineBytes)
        throw InputError(m_displayName, m_lineNumber + 1, "",
                         "line is " + byteSizeText(length) + " long, more than the " + byteSizeText(m_maxLineBytes) +
                             " a line may have; not a line-oriented text file, or a corrupt one");
    m_begin += newline ? length + 1 : length;
    ++m_lineNumber;
    if (length > 0 && start[length - 1] == '\r')
        --length;
    line = std::string_view(start, length);
    if (m_encoding == Encoding::Latin1) {
        m_converted = latin1ToUtf8(line);
        line = m_converted;
    } else if (!isValidUtf8(line)) {
        fail("", "not valid UTF-8 text (wrong encoding? convert the file to UTF-8)");
    }
    return true;
}

std::string TextReader::head(const std::filesystem::path &path, std::size_t maxBytes)
{
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        return {};
    std::string out(maxBytes, '\0');
    const int got = gzread(file, out.data(), static_cast<unsigned>(maxBytes));
    gzclose(file);
    out.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
    return out;
}

} // namespace idgen
