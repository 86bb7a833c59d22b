#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct idgen_spm_model;

namespace idgen {

class SpmModule;

// Special ids of a model; -1 where it has none. T5 uses pad 0 (also the decoder's start token),
// eos 1, unk 2 and no bos; the models of this workbench rely on that.
struct SpecialIds {
    int pad = 0;
    int eos = 1;
    int unk = 2;
    int bos = -1;
    bool operator==(const SpecialIds &) const = default;
};

// A SentencePiece tokenizer, run in-process through the idgenrec_spm module (SpmModule.h).
// Keeps its serialized model so it can be stored in a project file. Const methods may be called
// from several threads at once.
class Tokenizer {
public:
    static constexpr SpecialIds kT5Ids{};

    // Throws an Error when the bytes are not a SentencePiece model or the module is missing.
    static Tokenizer fromBytes(std::string modelBytes);
    // A `spiece.model` file, e.g. of a pretrained T5; errors name the file.
    static Tokenizer fromFile(const std::filesystem::path &path);

    Tokenizer(Tokenizer &&other) noexcept;
    Tokenizer &operator=(Tokenizer &&other) noexcept;
    Tokenizer(const Tokenizer &) = delete;
    Tokenizer &operator=(const Tokenizer &) = delete;
    ~Tokenizer();

    // Ids of the text's pieces, then eos when appendEos (as T5 inputs and labels end).
    std::vector<int> encode(std::string_view text, bool appendEos = true) const;
    // The pieces of the text ("▁word" marks a word start), without eos.
    std::vector<std::string> pieces(std::string_view text) const;
    // Text of ids; control ids (pad, eos) give no text. Throws for ids outside the vocabulary.
    std::string decode(std::span<const int> ids) const;

    int vocabSize() const;
    // unk for a piece not in the vocabulary.
    int pieceToId(std::string_view piece) const;
    // Throws for an id outside the vocabulary.
    std::string idToPiece(int id) const;
    SpecialIds specialIds() const;
    // Throws an Error naming `source` when the special ids are not T5's.
    void requireT5Ids(const std::string &source) const;

    const std::string &modelBytes() const { return m_bytes; }
    // Identifies the tokenizer by its pieces (XXH3-128 of the model bytes, 32 hex digits): models
    // record it, since another tokenizer of the same size gives the same ids other meanings.
    std::string contentHash() const;

private:
    Tokenizer(const SpmModule &module, std::string bytes, idgen_spm_model *model);

    const SpmModule *m_module = nullptr;
    std::string m_bytes;
    idgen_spm_model *m_model = nullptr;
};

// The text encoded as a model input: its pieces cut to maxTokens - 1, then eos.
std::vector<int> encodeSource(const Tokenizer &tokenizer, const std::string &text, int maxTokens);

} // namespace idgen
