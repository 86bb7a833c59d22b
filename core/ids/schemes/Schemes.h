#pragma once

#include "ids/schemes/IdScheme.h"

namespace idgen {

// One factory per scheme; the registry in IdScheme.cpp lists them (see the note in IdScheme.h).
std::unique_ptr<IdScheme> makeSequentialIdScheme();
std::unique_ptr<IdScheme> makeTitleIdScheme();
std::unique_ptr<IdScheme> makeTextualIdScheme();
std::unique_ptr<IdScheme> makeFileIdScheme();
std::unique_ptr<IdScheme> makeRqvaeIdScheme();  // schemes/semantic/
std::unique_ptr<IdScheme> makeLetterIdScheme(); // schemes/semantic/
std::unique_ptr<IdScheme> makeRandomIdScheme();
std::unique_ptr<IdScheme> makeAtomicIdScheme();
std::unique_ptr<IdScheme> makeCidIdScheme();

} // namespace idgen
