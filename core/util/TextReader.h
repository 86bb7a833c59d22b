#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace idgen {

// Streams a text file line by line, gzip'd or plain (detected from the content), with bounded
// memory. Checks that every line is valid UTF-8 unless told the file is Latin-1, in which case
// it converts lines to UTF-8. Errors name the file and line.
class TextReader {
public:
    enum class Encoding { Utf8, Latin1 };

    explicit TextReader(const std::filesystem::path &path, Encoding encoding = Encoding::Utf8);
    ~TextReader();
    TextReader(const TextReader &) = delete;
    TextReader &operator=(const TextReader &) = delete;

    // Next line without its line terminator ("\n" or "\r\n"); the view stays valid until the
    // next call. Returns false at the end of the file.
    bool nextLine(std::string_view &line);

    std::uint64_t lineNumber() const { return m_lineNumber; }
    // Lines longer than this fail (InputLimits.h: kMaxLineBytes); lower it for files whose lines
    // are known to be short, and in tests.
    void setMaxLineBytes(std::size_t bytes) { m_maxLineBytes = bytes; }
    const std::string &fileName() const { return m_displayName; }
    // Fraction of the (possibly compressed) file consumed so far, for progress bars.
    double progress() const;

    // Throws an InputError for the current line.
    [[noreturn]] void fail(const std::string &field, const std::string &problem) const;

    // Reads the first bytes (decompressed) of a file, for format detection.
    static std::string head(const std::filesystem::path &path, std::size_t maxBytes);

private:
    bool fillBuffer();
    void skipByteOrderMark();

    void *m_file = nullptr; // gzFile, kept opaque so zlib.h stays out of headers
    std::string m_displayName;
    Encoding m_encoding;
    std::uint64_t m_fileSize = 0;
    std::uint64_t m_lineNumber = 0;
    std::size_t m_maxLineBytes;
    std::vector<char> m_buffer;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    bool m_eof = false;
    std::string m_converted;
};

// True when the bytes are well-formed UTF-8.
bool isValidUtf8(std::string_view text);
// Converts ISO-8859-1 bytes to UTF-8.
std::string latin1ToUtf8(std::string_view text);

} // namespace idgen
