#include "data/formats/Format.h"

#include "data/formats/Formats.h"
#include "util/Error.h"
#include "util/TextReader.h"

namespace idgen {

FileSniff FileSniff::of(const std::filesystem::path &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw InputError(path.string(), 0, "", "file not found or not a regular file");
    if (std::filesystem::file_size(path, ec) == 0)
        throw InputError(path.string(), 0, "", "file is empty");
    return FileSniff{path, TextReader::head(path, 64 * 1024)};
}

std::string_view FileSniff::firstLine() const
{
    std::string_view rest = head;
    while (!rest.empty()) {
        const auto end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") != std::string_view::npos)
            return line;
        if (end == std::string_view::npos)
            break;
        rest.remove_prefix(end + 1);
    }
    return {};
}

void Format::readItems(const ImportSources &sources, DatasetBuilder &, ImportContext &) const
{
    throw InputError(sources.items->string(), 0, "", "the '" + name() + "' format has no items file; choose another --items-format");
}

const std::vector<std::unique_ptr<Format>> &allFormats()
{
    static const std::vector<std::unique_ptr<Format>> formats = [] {
        std::vector<std::unique_ptr<Format>> list;
        list.push_back(makeSequenceFormat());
        list.push_back(makeRecboleFormat());
        list.push_back(makeAmazonFormat());
        list.push_back(makeYelpFormat());
        list.push_back(makeLcRecFormat());
        list.push_back(makeP5Format());
        list.push_back(makeMovieLensFormat());
        list.push_back(makeCsvFormat());
        return list;
    }();
    return formats;
}

std::string supportedFormatList()
{
    std::string list;
    for (const auto &format : allFormats())
        list += (list.empty() ? "" : ", ") + format->name();
    return list;
}

const Format &formatByName(std::string_view name)
{
    for (const auto &format : allFormats()) {
        if (format->name() == name)
            return *format;
    }
    throw Error("unknown format '" + std::string(name) + "'; supported formats: " + supportedFormatList());
}

namespace {

const Format &detect(const std::filesystem::path &file, bool items)
{
    const FileSniff sniff = FileSniff::of(file);
    const Format *best = nullptr;
    int bestScore = 0;
    for (const auto &format : allFormats()) {
        const int score = items ? format->detectItems(sniff) : format->detectInteractions(sniff);
        if (score > bestScore) {
            best = format.get();
            bestScore = score;
        }
    }
    if (!best)
        throw InputError(file.string(), 0, "",
                         std::string("cannot tell the format of this ") + (items ? "items" : "interactions") +
                             " file; name it with --" + (items ? "items-format" : "format") +
                             " (supported formats: " + supportedFormatList() + ")");
    return *best;
}

} // namespace

const Format &detectInteractionsFormat(const std::filesystem::path &file)
{
    return detect(file, false);
}

const Format &detectItemsFormat(const std::filesystem::path &file)
{
    return detect(file, true);
}

} // namespace idgen
