#pragma once

#include "text/SpmApi.h"

#include <filesystem>
#include <string>
#include <vector>

namespace idgen {

// The idgenrec_spm module loaded at run time, with its C function table. SentencePiece cannot
// be linked into a process that holds LibTorch (platform.md, trap 1), so it lives in a module
// opened with dlopen(RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND). A module stays loaded for the rest
// of the process: unloading SentencePiece's static protobuf state is not worth the risk.
class SpmModule {
public:
    static constexpr const char *kFileName = "idgenrec_spm.so";
    static constexpr const char *kEnvironmentVariable = "IDGEN_SPM_MODULE";

    // The module for the current environment: IDGEN_SPM_MODULE when set (a file, or a folder
    // holding idgenrec_spm.so), else next to the running executable, else in ../lib/idgenrec
    // relative to it. Throws an Error naming every path tried when none loads.
    static const SpmModule &instance();
    // Where instance() looks, in order.
    static std::vector<std::filesystem::path> searchPaths();
    // Opens one file (cached per path). Throws an Error naming the path and dlerror()'s reason.
    static const SpmModule &open(const std::filesystem::path &path);

    const std::filesystem::path &path() const { return m_path; }

    // The C function table; every entry is resolved when the module opens.
    decltype(&idgen_spm_api_version) apiVersion = nullptr;
    decltype(&idgen_spm_train) train = nullptr;
    decltype(&idgen_spm_load) load = nullptr;
    decltype(&idgen_spm_model_free) modelFree = nullptr;
    decltype(&idgen_spm_encode) encode = nullptr;
    decltype(&idgen_spm_decode) decode = nullptr;
    decltype(&idgen_spm_vocab_size) vocabSize = nullptr;
    decltype(&idgen_spm_piece_to_id) pieceToId = nullptr;
    decltype(&idgen_spm_id_to_piece) idToPiece = nullptr;
    decltype(&idgen_spm_special_ids) specialIds = nullptr;
    decltype(&idgen_spm_free) freeBuffer = nullptr;

    // Throws an Error with the module's message (and frees it) when error is not NULL.
    void throwIfError(char *error) const;

    SpmModule(const SpmModule &) = delete;
    SpmModule &operator=(const SpmModule &) = delete;

private:
    SpmModule(std::filesystem::path path, void *handle);

    std::filesystem::path m_path;
    void *m_handle = nullptr;
};

} // namespace idgen
