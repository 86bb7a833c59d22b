#pragma once

#include "model/T5Model.h"

namespace idgen {

// Puts a model in eval mode (no dropout) for a search and restores its training flag afterwards,
// so decoding in the middle of training leaves the trainer's mode alone.
class EvalScope {
public:
    explicit EvalScope(T5Model &model) : m_model(model), m_wasTraining(model.is_training()) { m_model.eval(); }
    ~EvalScope() { m_model.train(m_wasTraining); }
    EvalScope(const EvalScope &) = delete;
    EvalScope &operator=(const EvalScope &) = delete;

private:
    T5Model &m_model;
    bool m_wasTraining;
};

} // namespace idgen
