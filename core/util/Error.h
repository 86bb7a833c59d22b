#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace idgen {

// Base of every error the core throws; front ends catch it at thread and slot boundaries.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bad user input: names the file, the line (1-based, 0 when unknown) and the field.
class InputError : public Error {
public:
    InputError(std::string file, std::uint64_t line, std::string field, const std::string &problem);

    const std::string &file() const { return m_file; }
    std::uint64_t line() const { return m_line; }
    const std::string &field() const { return m_field; }

private:
    std::string m_file;
    std::uint64_t m_line;
    std::string m_field;
};

// Thrown when a job's stop token fires; the work done so far is rolled back or checkpointed.
class Cancelled : public Error {
public:
    Cancelled() : Error("cancelled by the user") {}
};

} // namespace idgen
