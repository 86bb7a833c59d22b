#include "ids/embeddings/LsaEmbeddings.h"

#include "ids/KeywordTargets.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace idgen {
namespace {

struct TermMatrix {
    at::Tensor matrix;     // sparse COO [documents, terms], rows L2-normalised, double
    at::Tensor transposed; // the same, transposed and coalesced
    std::int64_t terms = 0;
};

TermMatrix tfIdfMatrix(const std::vector<std::string> &texts, const LsaOptions &options)
{
    std::vector<std::vector<std::string>> documents;
    documents.reserve(texts.size());
    std::unordered_map<std::string, std::int64_t> documentFrequency;
    for (const auto &text : texts) {
        documents.push_back(keywordWords(text));
        auto unique = documents.back();
        std::sort(unique.begin(), unique.end());
        unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
        for (const auto &word : unique)
            ++documentFrequency[word];
    }
    // The most frequent terms first, ties by spelling, so the columns never depend on hashing.
    std::vector<std::pair<std::int64_t, std::string>> kept;
    for (const auto &[word, df] : documentFrequency)
        if (df >= options.minDocumentFrequency)
            kept.emplace_back(df, word);
    std::sort(kept.begin(), kept.end(), [](const auto &a, const auto &b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    if (kept.size() > static_cast<std::size_t>(options.maxTerms))
        kept.resize(static_cast<std::size_t>(options.maxTerms));
    std::unordered_map<std::string, std::int64_t> column;
    for (std::size_t i = 0; i < kept.size(); ++i)
        column.emplace(kept[i].second, static_cast<std::int64_t>(i));

    const double n = static_cast<double>(texts.size());
    std::vector<std::int64_t> rows, columns;
    std::vector<double> values;
    for (std::size_t d = 0; d < documents.size(); ++d) {
        std::unordered_map<std::int64_t, double> counts;
        for (const auto &word : documents[d])
            if (const auto it = column.find(word); it != column.end())
                counts[it->second] += 1.0;
        std::vector<std::pair<std::int64_t, double>> entries(counts.begin(), counts.end());
        std::sort(entries.begin(), entries.end());
        double norm = 0.0;
        for (auto &[term, value] : entries) {
            const double df = static_cast<double>(kept[static_cast<std::size_t>(term)].first);
            value = (1.0 + std::log(value)) * (std::log((1.0 + n) / (1.0 + df)) + 1.0);
            norm += value * value;
        }
        norm = std::sqrt(norm);
        for (const auto &[term, value] : entries) {
            rows.push_back(static_cast<std::int64_t>(d));
            columns.push_back(term);
            values.push_back(value / norm);
        }
    }
    TermMatrix result;
    result.terms = static_cast<std::int64_t>(kept.size());
    const auto nnz = static_cast<std::int64_t>(values.size());
    const at::Tensor indices =
        at::stack({at::tensor(rows, at::kLong), at::tensor(columns, at::kLong)}).reshape({2, nnz});
    result.matrix = at::sparse_coo_tensor(indices, at::tensor(values, at::kDouble),
                                          {static_cast<std::int64_t>(texts.size()), result.terms})
                        .coalesce();
    result.transposed = result.matrix.t().coalesce();
    return result;
}

at::Tensor orthonormalBasis(const at::Tensor &columns)
{
    return std::get<0>(at::linalg_qr(columns, "reduced"));
}

} // namespace

void LsaOptions::validate() const
{
    if (dimensions < 1 || dimensions > 4096)
        throw Error("LSA: dimensions must be in 1..4096, not " + std::to_string(dimensions));
    if (maxTerms < 1)
        throw Error("LSA: the term limit must be positive");
    if (minDocumentFrequency < 1)
        throw Error("LSA: the minimum document frequency must be at least 1");
    if (powerIterations < 0 || powerIterations > 50)
        throw Error("LSA: power iterations must be in 0..50");
    if (oversampling < 0 || oversampling > 1000)
        throw Error("LSA: oversampling must be in 0..1000");
}

nlohmann::json LsaOptions::toJson() const
{
    return {{"dimensions", dimensions},
            {"max_terms", maxTerms},
            {"min_document_frequency", minDocumentFrequency},
            {"power_iterations", powerIterations},
            {"oversampling", oversampling},
            {"seed", seed}};
}

at::Tensor lsaEmbeddings(const std::vector<std::string> &texts, const LsaOptions &options)
{
    options.validate();
    const auto documents = static_cast<std::int64_t>(texts.size());
    if (documents == 0)
        throw Error("LSA: there are no item texts");
    const TermMatrix a = tfIdfMatrix(texts, options);
    const std::int64_t rank = std::min<std::int64_t>({options.dimensions, documents, a.terms});
    if (rank == 0)
        throw Error("LSA: no word occurs in " + std::to_string(options.minDocumentFrequency) +
                    " or more item texts; the items have too little text for text embeddings");
    const std::int64_t width = std::min<std::int64_t>({rank + options.oversampling, documents, a.terms});

    at::Generator generator = at::detail::createCPUGenerator(options.seed);
    const at::Tensor probe = at::randn({a.terms, width}, generator, at::TensorOptions().dtype(at::kDouble));
    at::Tensor basis = orthonormalBasis(at::mm(a.matrix, probe)); // [documents, width]
    for (int i = 0; i < options.powerIterations; ++i) {
        const at::Tensor back = orthonormalBasis(at::mm(a.transposed, basis)); // [terms, width]
        basis = orthonormalBasis(at::mm(a.matrix, back));
    }
    const at::Tensor projected = at::mm(a.transposed, basis).t(); // [width, terms]
    const auto [u, s, vh] = at::linalg_svd(projected, false);
    at::Tensor embedding = at::mm(basis, u.narrow(1, 0, rank)) * s.narrow(0, 0, rank).unsqueeze(0);
    const at::Tensor largest = embedding.abs().argmax(0, true);
    const at::Tensor signs = at::where(embedding.gather(0, largest) < 0, -1.0, 1.0);
    return (embedding * signs).to(at::kFloat).contiguous();
}

} // namespace idgen
