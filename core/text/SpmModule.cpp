#include "text/SpmModule.h"

#include "util/Error.h"

#include <dlfcn.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <system_error>

namespace idgen {
namespace {

std::mutex &modulesMutex()
{
    static std::mutex mutex;
    return mutex;
}

// Opened modules by path; never closed (see the class comment).
std::map<std::filesystem::path, std::unique_ptr<SpmModule>> &openedModules()
{
    static std::map<std::filesystem::path, std::unique_ptr<SpmModule>> modules;
    return modules;
}

std::filesystem::path executableFolder()
{
    std::error_code error;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::filesystem::path() : exe.parent_path();
}

template <typename Function>
void resolve(void *handle, const std::filesystem::path &path, const char *name, Function &target)
{
    dlerror();
    void *symbol = dlsym(handle, name);
    if (!symbol) {
        const char *reason = dlerror();
        throw Error("the SentencePiece module " + path.string() + " lacks the symbol " + name + " (" +
                    (reason ? reason : "not exported") + "); it does not belong to this build");
    }
    target = reinterpret_cast<Function>(symbol);
}

} // namespace

SpmModule::SpmModule(std::filesystem::path path, void *handle)
    : m_path(std::move(path))
    , m_handle(handle)
{
    resolve(m_handle, m_path, "idgen_spm_api_version", apiVersion);
    const int version = apiVersion();
    if (version != IDGEN_SPM_API_VERSION)
        throw Error("the SentencePiece module " + m_path.string() + " speaks interface version " +
                    std::to_string(version) + ", this build needs " + std::to_string(IDGEN_SPM_API_VERSION) +
                    "; it does not belong to this build");
    resolve(m_handle, m_path, "idgen_spm_train", train);
    resolve(m_handle, m_path, "idgen_spm_load", load);
    resolve(m_handle, m_path, "idgen_spm_model_free", modelFree);
    resolve(m_handle, m_path, "idgen_spm_encode", encode);
    resolve(m_handle, m_path, "idgen_spm_decode", decode);
    resolve(m_handle, m_path, "idgen_spm_vocab_size", vocabSize);
    resolve(m_handle, m_path, "idgen_spm_piece_to_id", pieceToId);
    resolve(m_handle, m_path, "idgen_spm_id_to_piece", idToPiece);
    resolve(m_handle, m_path, "idgen_spm_special_ids", specialIds);
    resolve(m_handle, m_path, "idgen_spm_free", freeBuffer);
}

std::vector<std::filesystem::path> SpmModule::searchPaths()
{
    // An explicit setting is the only place looked at: silently falling back to another module
    // would hide a typo in it.
    if (const char *configured = std::getenv(kEnvironmentVariable); configured && *configured) {
        std::filesystem::path path(configured);
        std::error_code error;
        if (std::filesystem::is_directory(path, error))
            path /= kFileName;
        return {path};
    }
    const auto folder = executableFolder();
    if (folder.empty())
        return {};
    return {folder / kFileName, (folder / ".." / "lib" / "idgenrec" / kFileName).lexically_normal()};
}

const SpmModule &SpmModule::open(const std::filesystem::path &path)
{
    std::lock_guard lock(modulesMutex());
    auto &modules = openedModules();
    if (const auto found = modules.find(path); found != modules.end())
        return *found->second;
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer refuses RTLD_DEEPBIND. The sanitizer build (preset asan) loads the module,
    // built without sanitizers, into a link-map namespace of its own instead: its SentencePiece,
    // protobuf and C++ runtime are separate copies there, and every buffer it returns is freed by
    // its own idgen_spm_free, so nothing crosses between the two heaps.
    void *handle = dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
#else
    // RTLD_DEEPBIND: the module's SentencePiece binds to its own protobuf, not to LibTorch's one
    // already in the process. Without it the first protobuf call crashes (platform.md, trap 1).
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#endif
    if (!handle) {
        const char *reason = dlerror();
        throw Error("cannot load the SentencePiece module " + path.string() + ": " +
                    (reason ? reason : "unknown reason"));
    }
    std::unique_ptr<SpmModule> module;
    try {
        module.reset(new SpmModule(path, handle));
    } catch (...) {
        dlclose(handle);
        throw;
    }
    const SpmModule &result = *module;
    modules.emplace(path, std::move(module));
    return result;
}

const SpmModule &SpmModule::instance()
{
    const auto paths = searchPaths();
    std::string tried;
    for (const auto &path : paths) {
        std::error_code error;
        if (!std::filesystem::exists(path, error)) {
            tried += "\n  " + path.string() + " (no such file)";
            continue;
        }
        try {
            return open(path);
        } catch (const Error &failure) {
            tried += "\n  " + path.string() + " (" + failure.what() + ")";
        }
    }
    if (paths.empty())
        tried = "\n  (none: the executable's own path is unknown)";
    throw Error(std::string("the SentencePiece module ") + kFileName +
                " could not be loaded; tokenizers need it. Paths tried:" + tried + "\nSet " +
                kEnvironmentVariable + " to the module's path, or reinstall so that it lies next to the executable.");
}

void SpmModule::throwIfError(char *error) const
{
    if (!error)
        return;
    std::string message(error);
    freeBuffer(error);
    throw Error(message);
}

} // namespace idgen
