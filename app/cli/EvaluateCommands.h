#pragma once

namespace CLI {
class App;
}

namespace idgen::cli {

// `idgenrec evaluate`: full-ranking HR@k / NDCG@k of a recommender on a split, every user decoded;
// `idgenrec evaluations`: the ones stored in a project.
void addEvaluateCommands(CLI::App &app);

} // namespace idgen::cli
