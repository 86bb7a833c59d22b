// Every input the fuzzers found a bug with (tests/fixtures/fuzz-regressions/<target>/), and every
// seed they start from (tests/fixtures/fuzz-seeds/<target>/), replayed through the same reader
// code as the libFuzzer targets (tests/fuzz/FuzzTargets.cpp): each must end in a clean refusal
// (idgen::Error) or a result, never a crash or another exception. packaging/fuzz.sh finds them.
#include "fuzz/FuzzTargets.h"
#include "support/TestSupport.h"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace {

namespace fs = std::filesystem;

// (target, file) for every file under folder/<target>/.
std::vector<std::pair<std::string, fs::path>> inputsUnder(const fs::path &folder)
{
    std::vector<std::pair<std::string, fs::path>> inputs;
    if (!fs::is_directory(folder))
        return inputs;
    for (const auto &target : fs::directory_iterator(folder))
        for (const auto &file : fs::directory_iterator(target.path()))
            inputs.emplace_back(target.path().filename().string(), file.path());
    std::sort(inputs.begin(), inputs.end());
    return inputs;
}

void replay(const std::string &target, const fs::path &file)
{
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    try {
        idgen::fuzz::runTarget(target, reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
    } catch (const std::exception &error) {
        QFAIL(qPrintable(QString::fromStdString(file.string() + ": " + error.what())));
    }
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyTargetHasSeeds()
    {
        for (const auto &target : idgen::fuzz::targetNames()) {
            const fs::path seeds = idgen::test::fixture("fuzz-seeds/" + target);
            QVERIFY2(fs::is_directory(seeds) && !fs::is_empty(seeds), qPrintable(QString::fromStdString(seeds.string())));
        }
    }

    void regressionInputsReplayCleanly()
    {
        const auto inputs = inputsUnder(idgen::test::fixture("fuzz-regressions"));
        QVERIFY(!inputs.empty()); // the fixed findings are kept: at least one exists
        for (const auto &[target, file] : inputs)
            replay(target, file);
    }

    void seedsReplayCleanly()
    {
        for (const auto &[target, file] : inputsUnder(idgen::test::fixture("fuzz-seeds")))
            replay(target, file);
    }
};

QTEST_APPLESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
