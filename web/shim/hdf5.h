// The browser build has no HDF5. The lesson analyses keep, beside their numbers, functions that
// write extra groups into a results file; they only need HDF5's id types to compile, and are
// never called in the page (it writes no file). This header gives those types, and
// h5_unavailable.cpp defines the writers as errors, so the lesson sources compile unchanged.
#pragma once

#include <stdint.h>

typedef int64_t hid_t;
typedef int herr_t;
typedef unsigned long long hsize_t;
typedef herr_t (*H5E_auto2_t)(hid_t estack, void* client_data);
