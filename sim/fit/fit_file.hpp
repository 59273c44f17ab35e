// The HDF5 file of `morsim fit`: the estimates with standard errors and correlation, every
// dataset's observations against the model, and the model curves. Layout: docs/output.md.
#pragma once

#include <string>

#include "fit/estimate.hpp"
#include "fit/fit_spec.hpp"

namespace morsim {

constexpr const char* kFitFileType = "morsim-fit";
constexpr int kFitFormatVersion = 1;

struct FitWriteOptions {
  bool force = false;
  std::string command;  // the command line, stored as an attribute
};

// Written atomically (beside the target, then renamed). Throws OutputError.
void write_fit_file(const std::string& path, const fit::FitSpec& spec, const fit::FitResult& r,
                    const FitWriteOptions& opts);

// Draws `h5_path` (a fit file) with the embedded sim/plot/morsim_fit_plot.py into
// `figure_path` (.png, .svg or .pdf), atomically. Throws OutputError when the figure exists and
// !force, or the script fails (with its stderr).
void plot_fit_file(const std::string& h5_path, const std::string& figure_path, bool force,
                   const std::string& python = "/usr/bin/python3");

}  // namespace morsim
