#include "FuzzTargets.h"

#include "data/DatasetBuilder.h"
#include "data/ItemText.h"
#include "data/formats/Format.h"
#include "data/formats/ImportContext.h"
#include "ids/IdFileLines.h"
#include "ids/IdText.h"
#include "model/CheckpointHeader.h"
#include "model/SafetensorsHeader.h"
#include "model/T5Config.h"
#include "util/ConfigFile.h"
#include "util/Error.h"
#include "util/PythonLiteral.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>

#include <unistd.h>

namespace idgen::fuzz {
namespace {

const std::string kFormatPrefix = "fuzz_format_";

JobEvents quiet;

// The readers take paths (they stream, gunzip and check UTF-8 themselves): each input is written
// to a scratch file of this process first.
std::filesystem::path scratchFile(const std::string &name, const void *data, std::size_t size)
{
    static const std::filesystem::path folder = [] {
        auto path = std::filesystem::temp_directory_path() / ("idgen-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    const auto path = folder / name;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(static_cast<const char *>(data), static_cast<std::streamsize>(size));
    return path;
}

void readInteractions(const Format &format, const ImportSources &sources)
{
    DatasetBuilder builder;
    ImportContext context(quiet, StopToken());
    format.readInteractions(sources, builder, context);
    builder.finishInteractions(format.defaultKCore() > 0 ? 2 : 0);
    builder.take().validate();
}

void readItems(const Format &format, const ImportSources &sources)
{
    DatasetBuilder builder;
    for (const char *user : {"u1", "u2"})
        for (const char *item : {"0", "1", "2", "A1", "B2"})
            builder.addInteraction(user, item);
    builder.finishInteractions(0);
    ImportContext context(quiet, StopToken());
    format.readItems(sources, builder, context);
    builder.checkMetadataMatches(sources.items->string());
    builder.take().validate();
}

// The first byte picks what the rest is: even, the interactions file; odd, the items file (for
// p5: its datamaps.json), read against fixed interactions whose ids look like every format's.
void fuzzFormat(const std::string &name, const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return;
    const Format &format = formatByName(name);
    const bool items = data[0] & 1;
    const auto file = scratchFile("input", data + 1, size - 1);
    ImportSources sources;
    sources.csv.timeColumn = "timestamp";
    if (name == "p5") {
        static const char kMaps[] = R"({"user2id": {"u1": "1", "u2": "2"}, "item2id": {"A1": "1", "B2": "2"}})";
        static const char kSequences[] = "1 1 2\n2 2 1\n";
        sources.datamaps = items ? file : scratchFile("maps.json", kMaps, sizeof kMaps - 1);
        sources.interactions = items ? scratchFile("seq.txt", kSequences, sizeof kSequences - 1) : file;
        readInteractions(format, sources);
    } else if (items && format.readsItems()) {
        sources.items = file;
        readItems(format, sources);
    } else {
        sources.interactions = file;
        readInteractions(format, sources);
    }
}

void fuzzPythonLiteral(const std::uint8_t *data, std::size_t size)
{
    const auto value = parsePythonLiteral(std::string_view(reinterpret_cast<const char *>(data), size));
    (void)value.dump(); // what the importers do next: store it as JSON text
}

void fuzzItemText(const std::uint8_t *data, std::size_t size)
{
    const auto fields = ItemFields::parse(data, data + size, nullptr, false);
    if (fields.is_discarded())
        return;
    ItemTextOptions options;
    (void)renderItemText(fields, options);
    options.maxChars = 40;
    options.lowercase = false;
    (void)renderItemText(fields, options);
}

// The strict TOML loader read the way the training configs read it, then the HF config.json reader.
void fuzzConfig(const std::uint8_t *data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char *>(data), size);
    try {
        auto config = ConfigTable::parseText(text, "fuzz.toml");
        auto model = config.section("model");
        (void)model.string("preset", "small");
        (void)model.integerIn("d_model", 64, 1, 4096);
        auto train = config.section("train");
        (void)train.realIn("lr", 1e-3, 0.0, 1.0);
        (void)train.boolean("bf16", false);
        (void)train.oneOf("optimizer", "adamw", {"adamw", "adam", "sgd"});
        (void)config.section("ids").integer("length", 4);
        config.finish();
    } catch (const Error &) {
    }
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_discarded())
        (void)T5Config::fromJson(json, "fuzz config.json");
}

// The safetensors header checks against the file, then the data checksum when the file has one.
void fuzzSafetensors(const std::uint8_t *data, std::size_t size)
{
    const SafetensorsHeader file(scratchFile("input.safetensors", data, size));
    for (const auto &name : file.names())
        (void)file.entry(name);
    (void)file.verifyDataChecksum();
}

// What readCheckpointState and loadCheckpoint check before LibTorch sees the file: the header, the
// format, version and state checksum, the state, the data checksum; then the state as listings print it.
void fuzzCheckpoint(const std::uint8_t *data, std::size_t size)
{
    const SafetensorsHeader file(scratchFile("input.ckpt", data, size));
    const auto state = checkpointStateFromJson(file, readCheckpointStateJson(file));
    (void)file.verifyDataChecksum();
    (void)state.config.dump();
    (void)state.extra.dump();
}

// `ids assign --scheme file` input against a dataset with ids like every format's: the lines
// split and checked, each ID text normalised (the tokenizer's encoding needs the SentencePiece
// module, which a fuzzer cannot load), every item required.
void fuzzIdFile(const std::uint8_t *data, std::size_t size)
{
    static const std::vector<std::string> rawIds = {"0", "1", "2", "A1", "B2", "u1"};
    IdFileLines lines(scratchFile("ids.txt", data, size), rawIds, IdKind::Item);
    std::size_t entity = 0;
    std::string_view idText;
    while (lines.next(entity, idText))
        (void)normalizeIdText(idText);
    lines.requireEveryEntity();
}

} // namespace

std::vector<std::string> targetNames()
{
    std::vector<std::string> names;
    for (const auto &format : allFormats())
        names.push_back(kFormatPrefix + format->name());
    for (const char *name : {"fuzz_python_literal", "fuzz_item_text", "fuzz_config", "fuzz_safetensors",
                             "fuzz_checkpoint", "fuzz_id_file"})
        names.emplace_back(name);
    return names;
}

void runTarget(const std::string &target, const std::uint8_t *data, std::size_t size)
{
    try {
        if (target.rfind(kFormatPrefix, 0) == 0)
            fuzzFormat(target.substr(kFormatPrefix.size()), data, size);
        else if (target == "fuzz_python_literal")
            fuzzPythonLiteral(data, size);
        else if (target == "fuzz_item_text")
            fuzzItemText(data, size);
        else if (target == "fuzz_config")
            fuzzConfig(data, size);
        else if (target == "fuzz_safetensors")
            fuzzSafetensors(data, size);
        else if (target == "fuzz_checkpoint")
            fuzzCheckpoint(data, size);
        else if (target == "fuzz_id_file")
            fuzzIdFile(data, size);
        else
            throw std::invalid_argument("unknown fuzz target " + target);
    } catch (const Error &) {
        // A clear refusal is the right answer to most random bytes.
    }
}

} // namespace idgen::fuzz
