// Error types shared by the library; the CLI maps them to exit codes.
#pragma once

#include <stdexcept>
#include <string>

namespace morsim {

// The model as specified is impossible (bad value, unknown reference, loop). Exit code 2.
class ModelError : public std::runtime_error {
 public:
  explicit ModelError(const std::string& what) : std::runtime_error(what) {}
};

// A config file is wrong: "file:line: key: problem (allowed: ...)". Exit code 2.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string key, const std::string& problem)
      : std::runtime_error(file + ":" + std::to_string(line) + ": " + key + ": " + problem),
        file_(std::move(file)),
        line_(line),
        key_(std::move(key)) {}
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& key() const { return key_; }

 private:
  std::string file_;
  int line_;
  std::string key_;
};

// Integration failed (step size underflow, non-finite state). Exit code 1.
class SolverError : public std::runtime_error {
 public:
  explicit SolverError(const std::string& what) : std::runtime_error(what) {}
};

// An input file that is not what its command reads (a results file of an unknown format or
// shape, for example). Exit code 2.
class InputFileError : public std::runtime_error {
 public:
  explicit InputFileError(const std::string& what) : std::runtime_error(what) {}
};

// Writing results failed. Exit code 1.
class OutputError : public std::runtime_error {
 public:
  explicit OutputError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace morsim
