#include "model/HfExport.h"

#include "model/Safetensors.h"
#include "model/T5Model.h"
#include "util/Error.h"

#include <ATen/ATen.h>

#include <fstream>

namespace idgen {

void exportHfModel(const T5Model &model, const std::filesystem::path &folder, const std::string &spieceBytes)
{
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    if (ec)
        throw Error("cannot create the folder " + folder.string() + ": " + ec.message());
    std::vector<std::pair<std::string, at::Tensor>> tensors;
    for (const auto &p : model.named_parameters())
        tensors.emplace_back(p.key(), p.value().detach().to(at::kCPU, at::kFloat).contiguous());
    writeSafetensors(folder / "model.safetensors", tensors, {{"format", "pt"}});
    model.config().saveFile(folder / "config.json");
    if (!spieceBytes.empty()) {
        const auto path = folder / "spiece.model";
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(spieceBytes.data(), static_cast<std::streamsize>(spieceBytes.size()));
        if (!out.flush())
            throw Error("cannot write " + path.string());
    }
}

} // namespace idgen
