// Corrupted checkpoints and project files are refused with a message naming them, never loaded
// silently and never a crash: checksums over a checkpoint's tensors and state (older checkpoints
// without them still load, marked unverified), and SQLite project files cut short or damaged.
#include "jobs/ImportJob.h"
#include "model/Checkpoint.h"
#include "model/Safetensors.h"
#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "support/TestSupport.h"
#include "util/Error.h"

#include <torch/nn/modules/linear.h>
#include <torch/optim/adamw.h>

#include <ATen/ATen.h>

#include <fstream>

using namespace idgen;
using test::errorOf;
using test::inputErrorOf;

namespace {

JobEvents quiet;

void overwrite(const std::filesystem::path &path, std::uint64_t offset, const std::string &bytes)
{
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Offset of the tensor data in a safetensors file (after the 8-byte length and the header).
std::uint64_t dataStart(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    unsigned char length[8];
    in.read(reinterpret_cast<char *>(length), 8);
    std::uint64_t header = 0;
    for (int i = 7; i >= 0; --i)
        header = (header << 8) | length[i];
    return 8 + header;
}

struct Saved {
    torch::nn::Linear model{torch::nn::LinearOptions(4, 3)};
    std::filesystem::path path;

    explicit Saved(const test::Scratch &scratch)
        : path(scratch.path("last.ckpt"))
    {
        torch::optim::AdamW optimizer(model->parameters(), torch::optim::AdamWOptions(1e-2));
        model->forward(torch::ones({2, 4})).sum().backward();
        optimizer.step();
        CheckpointState state;
        state.step = 1;
        state.kind = "test";
        saveCheckpoint(path, *model, &optimizer, state);
    }
};

std::filesystem::path createProject(const test::Scratch &scratch)
{
    const auto path = scratch.path("p.idgenrec");
    std::string sequences;
    for (int u = 0; u < 300; ++u)
        sequences += "user" + std::to_string(u) + " a" + std::to_string(u % 50) + " b" + std::to_string(u % 7) + " c" +
                     std::to_string(u % 13) + "\n";
    ImportOptions options;
    options.name = "shop";
    options.sources.interactions = scratch.write("user_sequence.txt", sequences);
    const Database db(path);
    runImport(db, options, quiet);
    return path;
}

bool contains(const QString &text, const char *part)
{
    return text.contains(QString::fromUtf8(part));
}

} // namespace

class TestCorruptFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void checkpointRoundTripIsVerified()
    {
        test::Scratch scratch;
        const Saved saved(scratch);
        torch::nn::Linear fresh(torch::nn::LinearOptions(4, 3));
        const CheckpointState state = loadCheckpoint(saved.path, *fresh, nullptr);
        QCOMPARE(QString::fromStdString(state.integrity), QString(kIntegrityVerified));
        QVERIFY(torch::equal(fresh->weight, saved.model->weight));
    }

    void flippedTensorByteIsRefusedAndChangesNothing()
    {
        test::Scratch scratch;
        const Saved saved(scratch);
        overwrite(saved.path, dataStart(saved.path) + 5, "\x7f");
        torch::nn::Linear fresh(torch::nn::LinearOptions(4, 3));
        const at::Tensor before = fresh->weight.clone();
        const InputError error = inputErrorOf([&] { loadCheckpoint(saved.path, *fresh, nullptr); });
        QCOMPARE(QString::fromStdString(error.file()), QString::fromStdString(saved.path.string()));
        QVERIFY2(contains(error.what(), "does not match its checksum"), error.what());
        QVERIFY(torch::equal(fresh->weight, before));
    }

    void editedStateIsRefused()
    {
        test::Scratch scratch;
        const Saved saved(scratch);
        // Same length, so the header still parses: "step":1 becomes "step":7.
        std::ifstream in(saved.path, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto at = bytes.find("\\\"step\\\":1");
        QVERIFY(at != std::string::npos);
        overwrite(saved.path, at + 9, "7");
        const InputError error = inputErrorOf([&] { readCheckpointState(saved.path); });
        QCOMPARE(QString::fromStdString(error.field()), QString("state"));
        QVERIFY2(contains(error.what(), "checksum"), error.what());
    }

    void truncatedCheckpointIsRefused()
    {
        test::Scratch scratch;
        const Saved saved(scratch);
        std::filesystem::resize_file(saved.path, std::filesystem::file_size(saved.path) - 10);
        torch::nn::Linear fresh(torch::nn::LinearOptions(4, 3));
        const InputError error = inputErrorOf([&] { loadCheckpoint(saved.path, *fresh, nullptr); });
        QCOMPARE(QString::fromStdString(error.file()), QString::fromStdString(saved.path.string()));
        QVERIFY2(contains(error.what(), "truncated"), error.what());
    }

    void checkpointWithoutChecksumsStillLoadsMarkedUnverified()
    {
        test::Scratch scratch;
        const Saved saved(scratch);
        // What an older build wrote: the same file without the two checksum keys.
        const SafetensorsFile file(saved.path);
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const auto &name : file.names())
            tensors.emplace_back(name, file.load(name));
        auto metadata = file.metadata();
        metadata.erase(kDataChecksumKey);
        metadata.erase("state_xxh3_128");
        const auto old = scratch.path("old.ckpt");
        writeSafetensors(old, tensors, metadata);
        torch::nn::Linear fresh(torch::nn::LinearOptions(4, 3));
        const CheckpointState state = loadCheckpoint(old, *fresh, nullptr);
        QCOMPARE(QString::fromStdString(state.integrity), QString(kIntegrityUnchecked));
        QVERIFY(torch::equal(fresh->weight, saved.model->weight));
    }

    void truncatedProjectIsRefusedNamingIt()
    {
        test::Scratch scratch;
        const auto path = createProject(scratch);
        std::filesystem::resize_file(path, std::filesystem::file_size(path) / 2);
        const QString message = errorOf([&] { Database db(path); });
        QVERIFY2(contains(message, "is truncated"), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(path.string())), qPrintable(message));
    }

    void damagedPagesAreNamedNotCrashed()
    {
        test::Scratch scratch;
        const auto path = createProject(scratch);
        const auto size = std::filesystem::file_size(path);
        // Garbage over every page but the first (the schema), in place: same size, header intact.
        const std::uint64_t pageSize = 4096;
        for (std::uint64_t offset = pageSize; offset + 64 <= size; offset += pageSize)
            overwrite(path, offset, std::string(64, '\xA5'));
        const QString message = errorOf([&] {
            const Database db(path);
            const DatasetRepository repository(db);
            for (const auto &info : repository.list())
                repository.load(info.name);
        });
        QVERIFY2(contains(message, "is damaged"), qPrintable(message));
        QVERIFY2(message.contains(QString::fromStdString(path.string())), qPrintable(message));
    }

    void foreignFileIsNotAProject()
    {
        test::Scratch scratch;
        const auto path = scratch.write("notes.idgenrec", std::string(8192, 'x'));
        const QString message = errorOf([&] { Database db(path); });
        QVERIFY2(contains(message, "not an SQLite database"), qPrintable(message));
    }
};

QTEST_APPLESS_MAIN(TestCorruptFiles)
#include "test_corrupt_files.moc"
