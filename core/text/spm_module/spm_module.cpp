// idgenrec_spm: SentencePiece behind the plain C interface of SpmApi.h. This file is the only one
// that includes SentencePiece; it is built as a MODULE library that the core loads with dlopen
// (platform.md, trap 1). Nothing may throw across the C boundary: every entry point catches.
#include "SpmApi.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#define IDGEN_SPM_EXPORT extern "C" __attribute__((visibility("default")))

struct idgen_spm_model {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

char *copyBuffer(const char *data, std::size_t size)
{
    auto *out = static_cast<char *>(std::malloc(size + 1));
    if (!out)
        throw std::bad_alloc();
    if (size > 0)
        std::memcpy(out, data, size);
    out[size] = '\0';
    return out;
}

char *errorText(const std::string &message)
{
    // malloc failing here leaves NULL, which reads as success; only a process out of memory gets
    // there and it is about to fail anyway.
    return copyBuffer(message.data(), message.size());
}

// Runs body, turning every exception into an error string.
template <typename Body>
char *guarded(const char *what, Body &&body) noexcept
{
    try {
        return body();
    } catch (const std::exception &error) {
        try {
            return errorText(std::string(what) + ": " + error.what());
        } catch (...) {
            return nullptr;
        }
    } catch (...) {
        try {
            return errorText(std::string(what) + ": unknown failure");
        } catch (...) {
            return nullptr;
        }
    }
}

char *statusError(const char *what, const sentencepiece::util::Status &status)
{
    return errorText(std::string(what) + ": " + status.ToString());
}

} // namespace

IDGEN_SPM_EXPORT int idgen_spm_api_version(void)
{
    return IDGEN_SPM_API_VERSION;
}

IDGEN_SPM_EXPORT char *idgen_spm_train(const char *input_path, const idgen_spm_train_options *options,
                                       char **model, std::size_t *model_size)
{
    return guarded("SentencePiece training", [&]() -> char * {
        *model = nullptr;
        *model_size = 0;
        const std::string type = options->model_type ? options->model_type : "unigram";
        if (type != "unigram" && type != "bpe")
            return errorText("unknown model type '" + type + "' (expected unigram or bpe)");
        // T5's conventions: pad 0 (also the decoder start), eos 1, unk 2, no bos. A soft vocabulary
        // limit lets small datasets train instead of failing on an unreachable size.
        std::unordered_map<std::string, std::string> args = {
            {"input", input_path},
            {"model_type", type},
            {"vocab_size", std::to_string(options->vocab_size)},
            {"character_coverage", std::to_string(options->character_coverage)},
            {"normalization_rule_name", options->lowercase ? "nmt_nfkc_cf" : "nmt_nfkc"},
            {"pad_id", "0"},
            {"eos_id", "1"},
            {"unk_id", "2"},
            {"bos_id", "-1"},
            {"pad_piece", "<pad>"},
            {"eos_piece", "</s>"},
            {"unk_piece", "<unk>"},
            {"hard_vocab_limit", "false"},
            {"num_threads", std::to_string(options->num_threads > 0 ? options->num_threads : 1)},
            {"minloglevel", "2"}, // keep SentencePiece's progress and warnings off the console: failures come back as a Status
        };
        if (options->input_sentence_size > 0) {
            args["input_sentence_size"] = std::to_string(options->input_sentence_size);
            args["shuffle_input_sentence"] = "true";
        }
        if (options->max_sentence_length > 0)
            args["max_sentence_length"] = std::to_string(options->max_sentence_length);
        std::string serialized;
        const auto status = sentencepiece::SentencePieceTrainer::Train(args, nullptr, &serialized);
        if (!status.ok())
            return statusError("SentencePiece training", status);
        *model = copyBuffer(serialized.data(), serialized.size());
        *model_size = serialized.size();
        return nullptr;
    });
}

IDGEN_SPM_EXPORT char *idgen_spm_load(const char *bytes, std::size_t size, idgen_spm_model **model)
{
    return guarded("SentencePiece model", [&]() -> char * {
        *model = nullptr;
        auto loaded = std::make_unique<idgen_spm_model>();
        const auto status = loaded->processor.LoadFromSerializedProto(std::string_view(bytes, size));
        if (!status.ok())
            return statusError("not a valid SentencePiece model", status);
        *model = loaded.release();
        return nullptr;
    });
}

IDGEN_SPM_EXPORT void idgen_spm_model_free(idgen_spm_model *model)
{
    delete model;
}

IDGEN_SPM_EXPORT char *idgen_spm_encode(const idgen_spm_model *model, const char *text, std::size_t text_size,
                                        int **ids, std::size_t *count)
{
    return guarded("SentencePiece encoding", [&]() -> char * {
        *ids = nullptr;
        *count = 0;
        std::vector<int> out;
        const auto status = model->processor.Encode(std::string_view(text, text_size), &out);
        if (!status.ok())
            return statusError("SentencePiece encoding", status);
        auto *buffer = static_cast<int *>(std::malloc(std::max<std::size_t>(out.size(), 1) * sizeof(int)));
        if (!buffer)
            throw std::bad_alloc();
        std::copy(out.begin(), out.end(), buffer);
        *ids = buffer;
        *count = out.size();
        return nullptr;
    });
}

IDGEN_SPM_EXPORT char *idgen_spm_decode(const idgen_spm_model *model, const int *ids, std::size_t count,
                                        char **text, std::size_t *text_size)
{
    return guarded("SentencePiece decoding", [&]() -> char * {
        *text = nullptr;
        *text_size = 0;
        const int size = model->processor.GetPieceSize();
        for (std::size_t i = 0; i < count; ++i)
            if (ids[i] < 0 || ids[i] >= size)
                return errorText("SentencePiece decoding: id " + std::to_string(ids[i]) + " at position " +
                                 std::to_string(i) + " is outside the vocabulary (0.." + std::to_string(size - 1) + ")");
        std::string out;
        const auto status = model->processor.Decode(std::vector<int>(ids, ids + count), &out);
        if (!status.ok())
            return statusError("SentencePiece decoding", status);
        *text = copyBuffer(out.data(), out.size());
        *text_size = out.size();
        return nullptr;
    });
}

IDGEN_SPM_EXPORT int idgen_spm_vocab_size(const idgen_spm_model *model)
{
    return model->processor.GetPieceSize();
}

IDGEN_SPM_EXPORT int idgen_spm_piece_to_id(const idgen_spm_model *model, const char *piece, std::size_t piece_size)
{
    try {
        return model->processor.PieceToId(std::string_view(piece, piece_size));
    } catch (...) {
        return model->processor.unk_id();
    }
}

IDGEN_SPM_EXPORT const char *idgen_spm_id_to_piece(const idgen_spm_model *model, int id)
{
    if (id < 0 || id >= model->processor.GetPieceSize())
        return nullptr;
    return model->processor.IdToPiece(id).c_str();
}

IDGEN_SPM_EXPORT void idgen_spm_special_ids(const idgen_spm_model *model, int *pad, int *eos, int *unk, int *bos)
{
    *pad = model->processor.pad_id();
    *eos = model->processor.eos_id();
    *unk = model->processor.unk_id();
    *bos = model->processor.bos_id();
}

IDGEN_SPM_EXPORT void idgen_spm_free(void *buffer)
{
    std::free(buffer);
}
