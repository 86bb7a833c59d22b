#include "support/TestSupport.h"

#include "store/Database.h"
#include "store/DatasetRepository.h"
#include "text/TokenizerJob.h"

#include <QProcess>

#include <zlib.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace idgen::test {

Scratch::Scratch()
{
    if (!m_dir.isValid())
        throw std::runtime_error("cannot create a temporary folder");
}

std::filesystem::path Scratch::path(const std::string &name) const
{
    return std::filesystem::path(m_dir.path().toStdString()) / name;
}

std::filesystem::path Scratch::write(const std::string &name, const std::string &content) const
{
    const auto file = path(name);
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
    return file;
}

std::filesystem::path Scratch::writeGzip(const std::string &name, const std::string &content) const
{
    const auto file = path(name);
    gzFile gz = gzopen(file.c_str(), "wb");
    gzwrite(gz, content.data(), static_cast<unsigned>(content.size()));
    gzclose(gz);
    return file;
}

std::filesystem::path fixture(const std::string &relative)
{
    return std::filesystem::path(IDGEN_TEST_FIXTURES) / relative;
}

std::filesystem::path sharedDatasets()
{
    const std::filesystem::path path(IDGEN_SHARED_DATASETS);
    std::error_code ec;
    return std::filesystem::is_directory(path / "beauty", ec) ? path : std::filesystem::path();
}

std::string readFile(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

CliResult runCli(const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    process.start(QString(IDGEN_CLI_PATH), arguments);
    CliResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        result.err = "timed out";
        return result;
    }
    result.code = process.exitCode();
    result.out = process.readAllStandardOutput().toStdString();
    result.err = process.readAllStandardError().toStdString();
    return result;
}

nlohmann::json lastJsonLine(const std::string &out)
{
    const std::size_t end = out.find_last_not_of("\r\n");
    if (end == std::string::npos)
        return {};
    const std::size_t newline = out.rfind('\n', end);
    const std::size_t begin = newline == std::string::npos ? 0 : newline + 1;
    return nlohmann::json::parse(out.substr(begin, end + 1 - begin));
}

QString errorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const Error &error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

InputError inputErrorOf(const std::function<void()> &action)
{
    try {
        action();
    } catch (const InputError &error) {
        return error;
    }
    return InputError("", 0, "", "");
}

void createDemoProject(const std::filesystem::path &path, const DemoOptions &options, int vocab)
{
    Database db(path);
    DatasetRepository(db).save("demo", generateDemoDataset(options));
    JobEvents quiet;
    TokenizerOptions tokenizer;
    tokenizer.vocabSize = vocab;
    trainDatasetTokenizer(db, "demo", "default", tokenizer, quiet);
}

} // namespace idgen::test
