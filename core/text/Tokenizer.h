#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
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
//
// It may carry added tokens ("<a_17>", "<c_1_3>": an ID snapshot's new tokens, see
// ids/SnapshotVocabulary.h) with ids from the SentencePiece vocabulary's end up. They are whole
// tokens: encode() finds them in text (written as they are, between any other text), decode()
// and idToPiece() write them back, vocabSize() and contentHash() count them, so every model,
// prompt, trie and trace built from this tokenizer handles them without knowing about them.
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

    // Appends whole tokens to the vocabulary (ids vocabSize() on). Each is written "<...>" without
    // whitespace and is new; throws an Error naming the first that is not.
    void addTokens(const std::vector<std::string> &tokens);
    const std::vector<std::string> &addedTokens() const { return m_added; }
    // The SentencePiece model's own pieces (vocabSize() less the added tokens).
    int pieceCount() const;

    // Ids of the text's pieces, then eos when appendEos (as T5 inputs and labels end).
    std::vector<int> encode(std::string_view text, bool appendEos = true) const;
    // The pieces of the text ("▁word" marks a word start), without eos.
    std::vector<std::string> pieces(std::string_view text) const;
    // Text of ids; control ids (pad, eos) give no text; added tokens are separate words. Throws for
    // ids outside the vocabulary.
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
    // Identifies the tokenizer by its pieces (XXH3-128 of the model bytes, then of any added
    // tokens, 32 hex digits): models record it, since another tokenizer of the same size gives the
    // same ids other meanings.
    std::string contentHash() const;

private:
    Tokenizer(const SpmModule &module, std::string bytes, idgen_spm_model *model);

    const SpmModule *m_module = nullptr;
    std::string m_bytes;
    idgen_spm_model *m_model = nullptr;
    std::vector<std::string> m_added;
    std::unordered_map<std::string, int> m_addedIds;
};

// The text encoded as a model input: its pieces cut to maxTokens - 1, then eos.
std::vector<int> encodeSource(const Tokenizer &tokenizer, const std::string &text, int maxTokens);

} // namespace idgen
