#pragma once

#include "data/formats/Format.h"

namespace idgen {

// One factory per supported format; the registry in Format.cpp lists them.
std::unique_ptr<Format> makeSequenceFormat();
std::unique_ptr<Format> makeRecboleFormat();
std::unique_ptr<Format> makeLcRecFormat();
std::unique_ptr<Format> makeP5Format();
std::unique_ptr<Format> makeAmazonFormat();
std::unique_ptr<Format> makeYelpFormat();
std::unique_ptr<Format> makeMovieLensFormat();
std::unique_ptr<Format> makeCsvFormat();

} // namespace idgen
