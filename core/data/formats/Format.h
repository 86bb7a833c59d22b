#pragma once

#include "data/formats/CsvOptions.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace idgen {

class DatasetBuilder;
class ImportContext;

// The files of one import.
struct ImportSources {
    std::filesystem::path interactions;
    std::optional<std::filesystem::path> items;
    std::optional<std::filesystem::path> datamaps; // p5 only
    CsvOptions csv;                                 // csv only
};

// The first bytes of a file (decompressed), for detecting its format from content.
struct FileSniff {
    std::filesystem::path path;
    std::string head;
    static FileSniff of(const std::filesystem::path &path);
    std::string fileName() const { return path.filename().string(); }
    // The first non-empty line of head.
    std::string_view firstLine() const;
};

// One supported format. A format reads interactions, item metadata, or both; each reader
// streams its file, reports progress through the context and throws InputError (file, line,
// field) on malformed input.
class Format {
public:
    virtual ~Format() = default;
    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    // k-core applied when the user gives none: 5 for raw dumps, 0 for preprocessed files.
    virtual int defaultKCore() const = 0;

    // How sure the format is that the file is its interactions (or items) file: 0 = not mine,
    // 100 = certain. Detection picks the highest score.
    virtual int detectInteractions(const FileSniff &file) const = 0;
    virtual int detectItems(const FileSniff &file) const { (void)file; return 0; }

    virtual void readInteractions(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const = 0;
    virtual bool readsItems() const { return false; }
    virtual void readItems(const ImportSources &sources, DatasetBuilder &builder, ImportContext &context) const;
};

// All formats, in the order they are listed to users.
const std::vector<std::unique_ptr<Format>> &allFormats();
// Throws an Error listing the supported formats when the name is unknown.
const Format &formatByName(std::string_view name);
// Detects from content; throws an Error listing the supported formats when nothing matches.
const Format &detectInteractionsFormat(const std::filesystem::path &file);
const Format &detectItemsFormat(const std::filesystem::path &file);
std::string supportedFormatList();

} // namespace idgen
