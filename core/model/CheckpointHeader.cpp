#include "model/CheckpointHeader.h"

#include "util/Error.h"
#include "util/Hash.h"
#include "util/InputLimits.h"

namespace idgen {

using Json = nlohmann::json;

std::string checkpointStateChecksum(const std::string &stateText)
{
    ContentHasher hasher;
    hasher.add(stateText);
    return hasher.hex();
}

Json readCheckpointStateJson(const SafetensorsHeader &file)
{
    const std::string where = file.path().string();
    const auto &metadata = file.metadata();
    const auto format = metadata.find("format");
    if (format == metadata.end() || format->second != kCheckpointFormat)
        throw InputError(where, 0, "format",
                         "not an IDGenRec checkpoint (its safetensors metadata has no \"format\": \"" +
                             std::string(kCheckpointFormat) + "\")");
    const auto version = metadata.find("format_version");
    const std::string expected = std::to_string(kCheckpointFormatVersion);
    if (version == metadata.end() || version->second != expected)
        throw InputError(where, 0, "format_version",
                         "checkpoint format version " + (version == metadata.end() ? "(none)" : version->second) +
                             " is not supported; this build reads version " + expected);
    const auto state = metadata.find("state");
    if (state == metadata.end())
        throw InputError(where, 0, "state", "missing from the checkpoint metadata");
    const auto checksum = metadata.find(kStateChecksumKey);
    if (checksum != metadata.end() && checksum->second != checkpointStateChecksum(state->second))
        throw InputError(where, 0, "state",
                         "does not match its checksum: the checkpoint is corrupt (a damaged disk or an incomplete "
                         "copy); it was not loaded");
    try {
        const auto limitDepth = [&](int depth, Json::parse_event_t, Json &) {
            if (depth > kMaxNestingDepth)
                throw InputError(where, 0, "state", "nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
            return true;
        };
        Json json = Json::parse(state->second, limitDepth);
        if (!json.is_object())
            throw InputError(where, 0, "state", "is not a JSON object");
        return json;
    } catch (const Json::exception &error) {
        throw InputError(where, 0, "state", std::string("is not valid JSON: ") + error.what());
    }
}

CheckpointState checkpointStateFromJson(const SafetensorsHeader &file, const Json &json)
{
    CheckpointState state;
    try {
        state.step = json.at("step").get<std::int64_t>();
        state.epoch = json.at("epoch").get<std::int64_t>();
        state.position = json.at("position").get<std::int64_t>();
        state.kind = json.at("kind").get<std::string>();
        state.config = json.at("config");
        state.extra = json.at("extra");
    } catch (const Json::exception &error) {
        throw InputError(file.path().string(), 0, "state", std::string("incomplete: ") + error.what());
    }
    return state;
}

} // namespace idgen
