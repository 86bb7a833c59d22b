#pragma once

#include "data/Dataset.h"
#include "ids/IdCandidateSource.h"
#include "ids/IdSnapshot.h"
#include "ids/UniqueIdAssigner.h"

#include <string>
#include <vector>

namespace idgen {

class Tokenizer;

// The title scheme's text for an item (method.md section 5, TID): the first `words` words of the
// normalised title field, or of the rendered item text (data/ItemText.h) when there is no
// title; empty when the item has no text at all.
std::string titleIdText(const ItemFields &fields, int words);

// One candidate per item, its title ID's tokens. A title does not change with the diversity
// penalty or the length, so the assigner skips escalation and makes repeated titles unique with
// its suffix fallback ("rose oil", "rose oil 2"); items without text become "item", "item 2", ...
class TitleCandidateSource final : public IdCandidateSource {
public:
    TitleCandidateSource(const Dataset &dataset, const Tokenizer &tokenizer, int words);
    std::vector<std::vector<std::vector<int>>> generate(std::span<const std::size_t> entities,
                                                         const CandidateSettings &settings) override;
    bool escalates() const override { return false; }

private:
    const Dataset &m_dataset;
    const Tokenizer &m_tokenizer;
    int m_words;
};

// The title scheme's item IDs: the source above through the unique-ID assigner.
IdTable titleItemIds(const Dataset &dataset, const Tokenizer &tokenizer, int words, const UniqueIdOptions &options,
                     JobEvents &events, StopToken stop = {});

} // namespace idgen
