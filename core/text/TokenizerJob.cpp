#include "text/TokenizerJob.h"

#include "jobs/JobJournal.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"

namespace idgen {

TokenizerTrainingReport trainDatasetTokenizer(const Database &db, const std::string &dataset, const std::string &name,
                                              const TokenizerOptions &options, JobEvents &events)
{
    options.validate();
    nlohmann::json journalOptions = options.toJson();
    journalOptions["dataset"] = dataset;
    journalOptions["name"] = name;
    return journalled(db, "tokenizer", journalOptions.dump(), [&] {
        events.progress(0.0, "rendering item texts");
        const std::vector<std::string> texts = tokenizerTrainingTexts(DatasetRepository(db).load(dataset), options.lowercase);
        if (texts.empty())
            throw Error("dataset '" + dataset + "' has no item text to train a tokenizer on");
        events.progress(0.1, "training the " + options.type + " tokenizer");
        TrainedTokenizer trained = trainTokenizer(texts, options);
        events.progress(0.9, "writing the project file");
        nlohmann::json stored = options.toJson();
        stored["effective_vocab_size"] = trained.effectiveVocabSize;
        stored["training"] = {{"texts", trained.texts},
                              {"seconds", trained.seconds},
                              {"mean_tokens_per_text", trained.meanTokensPerText}};
        TokenizerTrainingReport report{TokenizerRepository(db).save(dataset, name, options.type, trained.tokenizer, stored),
                                       trained.requestedVocabSize,
                                       trained.effectiveVocabSize,
                                       trained.texts,
                                       trained.seconds,
                                       trained.meanTokensPerText};
        events.progress(1.0, "done");
        return report;
    });
}

TokenizerInfo importTokenizer(const Database &db, const std::string &dataset, const std::string &name,
                              const std::filesystem::path &modelFile)
{
    const nlohmann::json options = {{"file", std::filesystem::absolute(modelFile).string()}};
    nlohmann::json journalOptions = options;
    journalOptions["dataset"] = dataset;
    journalOptions["name"] = name;
    return journalled(db, "tokenizer-import", journalOptions.dump(), [&] {
        DatasetRepository(db).get(dataset); // fail on a wrong dataset before reading the file
        const Tokenizer tokenizer = Tokenizer::fromFile(modelFile);
        tokenizer.requireT5Ids(modelFile.string());
        return TokenizerRepository(db).save(dataset, name, "imported", tokenizer, options);
    });
}

} // namespace idgen
