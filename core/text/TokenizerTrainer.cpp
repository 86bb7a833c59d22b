#include "text/TokenizerTrainer.h"

#include "data/ItemText.h"
#include "text/SpmModule.h"
#include "util/Error.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <unordered_set>

namespace idgen {
namespace {

// The training corpus on disk (SentencePiece reads a file), removed when done.
class CorpusFile {
public:
    explicit CorpusFile(const std::vector<std::string> &texts)
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "idgenrec-spm-XXXXXX").string();
        const int fd = mkstemp(pattern.data());
        if (fd < 0)
            throw Error("cannot create a temporary file for tokenizer training in " +
                        std::filesystem::temp_directory_path().string());
        m_path = pattern;
        FILE *out = fdopen(fd, "wb");
        if (!out) {
            ::close(fd);
            throw Error("cannot write the temporary file " + m_path.string());
        }
        bool ok = true;
        for (const auto &text : texts) {
            // One sentence a line: line breaks inside a text would split it.
            std::string line = text;
            std::replace_if(line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
            line.push_back('\n');
            ok = ok && std::fwrite(line.data(), 1, line.size(), out) == line.size();
        }
        ok = std::fclose(out) == 0 && ok;
        if (!ok)
            throw Error("cannot write the temporary file " + m_path.string() + " (disk full?)");
    }
    ~CorpusFile()
    {
        std::error_code ignored;
        std::filesystem::remove(m_path, ignored);
    }
    CorpusFile(const CorpusFile &) = delete;
    CorpusFile &operator=(const CorpusFile &) = delete;
    const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

bool isSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v';
}

} // namespace

nlohmann::json TokenizerOptions::toJson() const
{
    return {{"type", type},
            {"vocab_size", vocabSize},
            {"character_coverage", characterCoverage},
            {"lowercase", lowercase},
            {"input_sentence_size", inputSentenceSize}};
}

void TokenizerOptions::validate() const
{
    if (type != "unigram" && type != "bpe")
        throw Error("tokenizer type '" + type + "' is not known (use unigram or bpe)");
    if (vocabSize < 8)
        throw Error("tokenizer vocabulary size " + std::to_string(vocabSize) + " is too small (at least 8)");
    if (!(characterCoverage > 0.0 && characterCoverage <= 1.0))
        throw Error("tokenizer character coverage " + std::to_string(characterCoverage) + " must lie in (0, 1]");
    if (inputSentenceSize < 0)
        throw Error("tokenizer input sentence size must not be negative");
}

std::vector<std::string> tokenizerTrainingTexts(const Dataset &dataset, bool lowercase)
{
    ItemTextOptions render;
    render.lowercase = lowercase;
    std::vector<std::string> texts;
    texts.reserve(dataset.itemFields.size());
    for (const auto &fields : dataset.itemFields) {
        if (!hasText(fields))
            continue;
        std::string text = renderItemText(fields, render);
        if (!text.empty())
            texts.push_back(std::move(text));
    }
    return texts;
}

int cappedVocabSize(const std::vector<std::string> &texts, int requested)
{
    std::unordered_set<std::string_view> words;
    std::unordered_set<std::string_view> characters;
    for (const auto &text : texts) {
        const std::string_view view(text);
        std::size_t i = 0;
        while (i < view.size()) {
            while (i < view.size() && isSpace(view[i]))
                ++i;
            const std::size_t start = i;
            while (i < view.size() && !isSpace(view[i])) {
                // One UTF-8 code point: a lead byte and its continuation bytes.
                std::size_t end = i + 1;
                while (end < view.size() && (static_cast<unsigned char>(view[end]) & 0xC0) == 0x80)
                    ++end;
                characters.insert(view.substr(i, end - i));
                i = end;
            }
            if (i > start)
                words.insert(view.substr(start, i - start));
        }
    }
    const std::size_t cap = words.size() + characters.size() + 3;
    return static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(requested), cap));
}

TrainedTokenizer trainTokenizer(const std::vector<std::string> &texts, const TokenizerOptions &options)
{
    options.validate();
    if (texts.empty())
        throw Error("there is no item text to train a tokenizer on");
    const SpmModule &module = SpmModule::instance();
    const int vocab = cappedVocabSize(texts, options.vocabSize);
    const CorpusFile corpus(texts);

    idgen_spm_train_options spm{};
    spm.model_type = options.type.c_str();
    spm.vocab_size = vocab;
    spm.character_coverage = options.characterCoverage;
    spm.lowercase = options.lowercase ? 1 : 0;
    spm.input_sentence_size = options.inputSentenceSize;
    spm.max_sentence_length = 1 << 16; // long descriptions are kept, not skipped (default 4192)
    spm.num_threads = options.threads > 0 ? options.threads
                                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

    const auto start = std::chrono::steady_clock::now();
    char *model = nullptr;
    std::size_t modelSize = 0;
    module.throwIfError(module.train(corpus.path().c_str(), &spm, &model, &modelSize));
    std::string bytes(model, modelSize);
    module.freeBuffer(model);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    Tokenizer tokenizer = Tokenizer::fromBytes(std::move(bytes));
    std::size_t tokens = 0;
    for (const auto &text : texts)
        tokens += tokenizer.encode(text, false).size();
    return TrainedTokenizer{std::move(tokenizer),
                            options.vocabSize,
                            vocab,
                            texts.size(),
                            seconds,
                            static_cast<double>(tokens) / static_cast<double>(texts.size())};
}

} // namespace idgen
