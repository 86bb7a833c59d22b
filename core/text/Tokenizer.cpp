#include "text/Tokenizer.h"

#include "text/SpmModule.h"
#include "util/Error.h"
#include "util/Hash.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <utility>

namespace idgen {

Tokenizer::Tokenizer(const SpmModule &module, std::string bytes, idgen_spm_model *model)
    : m_module(&module)
    , m_bytes(std::move(bytes))
    , m_model(model)
{
}

Tokenizer::Tokenizer(Tokenizer &&other) noexcept
    : m_module(other.m_module)
    , m_bytes(std::move(other.m_bytes))
    , m_model(std::exchange(other.m_model, nullptr))
    , m_added(std::move(other.m_added))
    , m_addedIds(std::move(other.m_addedIds))
{
}

Tokenizer &Tokenizer::operator=(Tokenizer &&other) noexcept
{
    if (this != &other) {
        if (m_model)
            m_module->modelFree(m_model);
        m_module = other.m_module;
        m_bytes = std::move(other.m_bytes);
        m_model = std::exchange(other.m_model, nullptr);
        m_added = std::move(other.m_added);
        m_addedIds = std::move(other.m_addedIds);
    }
    return *this;
}

Tokenizer::~Tokenizer()
{
    if (m_model)
        m_module->modelFree(m_model);
}

Tokenizer Tokenizer::fromBytes(std::string modelBytes)
{
    const SpmModule &module = SpmModule::instance();
    if (modelBytes.empty())
        throw Error("not a valid SentencePiece model: it is empty");
    idgen_spm_model *model = nullptr;
    module.throwIfError(module.load(modelBytes.data(), modelBytes.size(), &model));
    return Tokenizer(module, std::move(modelBytes), model);
}

Tokenizer Tokenizer::fromFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error("cannot open the SentencePiece model " + path.string());
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad())
        throw Error("cannot read the SentencePiece model " + path.string());
    try {
        return fromBytes(std::move(bytes));
    } catch (const Error &error) {
        throw Error(path.string() + ": " + error.what());
    }
}

void Tokenizer::addTokens(const std::vector<std::string> &tokens)
{
    for (const std::string &token : tokens) {
        const bool wellFormed = token.size() > 2 && token.front() == '<' && token.back() == '>' &&
                                token.find_first_of(" \t\n\r<>", 1) == token.size() - 1;
        if (!wellFormed)
            throw Error("added token '" + token + "' must be written <name> without whitespace or other angle brackets");
        if (m_addedIds.contains(token) || m_module->pieceToId(m_model, token.data(), token.size()) != specialIds().unk)
            throw Error("added token '" + token + "' is already in the vocabulary");
        m_addedIds.emplace(token, vocabSize());
        m_added.push_back(token);
    }
}

int Tokenizer::pieceCount() const
{
    return m_module->vocabSize(m_model);
}

std::vector<int> Tokenizer::encode(std::string_view text, bool appendEos) const
{
    std::vector<int> out;
    const auto encodePieces = [&](std::string_view part) {
        if (part.empty())
            return;
        int *ids = nullptr;
        std::size_t count = 0;
        m_module->throwIfError(m_module->encode(m_model, part.data(), part.size(), &ids, &count));
        out.insert(out.end(), ids, ids + count);
        m_module->freeBuffer(ids);
    };
    // Added tokens are cut out first; the text between them is SentencePiece's.
    std::size_t plainFrom = 0;
    for (std::size_t open = m_added.empty() ? std::string_view::npos : text.find('<');
         open != std::string_view::npos; open = text.find('<', open + 1)) {
        const std::size_t close = text.find('>', open);
        if (close == std::string_view::npos)
            break;
        const auto added = m_addedIds.find(std::string(text.substr(open, close + 1 - open)));
        if (added == m_addedIds.end())
            continue;
        encodePieces(text.substr(plainFrom, open - plainFrom));
        out.push_back(added->second);
        plainFrom = close + 1;
        open = close;
    }
    encodePieces(text.substr(plainFrom));
    if (appendEos)
        out.push_back(specialIds().eos);
    return out;
}

std::vector<std::string> Tokenizer::pieces(std::string_view text) const
{
    std::vector<std::string> out;
    for (const int id : encode(text, false))
        out.push_back(idToPiece(id));
    return out;
}

std::string Tokenizer::decode(std::span<const int> ids) const
{
    std::string out;
    const auto appendWord = [&out](std::string_view word) {
        if (!word.empty())
            out.append(out.empty() ? "" : " ").append(word);
    };
    const int pieces = pieceCount();
    std::size_t from = 0;
    for (std::size_t i = 0; i <= ids.size(); ++i) {
        if (i < ids.size() && ids[i] < pieces)
            continue;
        if (i > from) {
            char *text = nullptr;
            std::size_t size = 0;
            m_module->throwIfError(m_module->decode(m_model, ids.data() + from, i - from, &text, &size));
            appendWord(std::string_view(text, size));
            m_module->freeBuffer(text);
        }
        if (i < ids.size())
            appendWord(idToPiece(ids[i]));
        from = i + 1;
    }
    return out;
}

int Tokenizer::vocabSize() const
{
    return pieceCount() + static_cast<int>(m_added.size());
}

int Tokenizer::pieceToId(std::string_view piece) const
{
    if (const auto added = m_addedIds.find(std::string(piece)); added != m_addedIds.end())
        return added->second;
    return m_module->pieceToId(m_model, piece.data(), piece.size());
}

std::string Tokenizer::idToPiece(int id) const
{
    const int pieces = pieceCount();
    if (id >= pieces && id < vocabSize())
        return m_added[static_cast<std::size_t>(id - pieces)];
    const char *piece = m_module->idToPiece(m_model, id);
    if (!piece)
        throw Error("token id " + std::to_string(id) + " is outside the vocabulary (0.." +
                    std::to_string(vocabSize() - 1) + ")");
    return piece;
}

SpecialIds Tokenizer::specialIds() const
{
    SpecialIds ids;
    m_module->specialIds(m_model, &ids.pad, &ids.eos, &ids.unk, &ids.bos);
    return ids;
}

void Tokenizer::requireT5Ids(const std::string &source) const
{
    const SpecialIds ids = specialIds();
    // bos is not checked: T5 never uses it, and a model that defines one still works.
    if (ids.pad == kT5Ids.pad && ids.eos == kT5Ids.eos && ids.unk == kT5Ids.unk)
        return;
    throw Error(source + ": special ids pad " + std::to_string(ids.pad) + ", eos " + std::to_string(ids.eos) +
                ", unk " + std::to_string(ids.unk) +
                " differ from T5's (pad 0, eos 1, unk 2) that the models rely on; train a tokenizer instead");
}

std::string Tokenizer::contentHash() const
{
    ContentHasher hasher;
    hasher.add(m_bytes);
    for (const std::string &token : m_added) {
        hasher.add("\n");
        hasher.add(token);
    }
    return hasher.hex();
}

std::vector<int> encodeSource(const Tokenizer &tokenizer, const std::string &text, int maxTokens)
{
    std::vector<int> ids = tokenizer.encode(text, false);
    if (static_cast<int>(ids.size()) > maxTokens - 1)
        ids.resize(static_cast<std::size_t>(std::max(maxTokens - 1, 0)));
    ids.push_back(tokenizer.specialIds().eos);
    return ids;
}

} // namespace idgen
