#ifndef WORKBENCH_COPENBLAS_SHIM_H
#define WORKBENCH_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface for the BNN targets (matrix products of the forward and
// backward passes). `openblas_set_num_threads` is declared by cblas.h; the targets call it
// with 1 once: chains already run in parallel, and BLAS threads on top of them would
// oversubscribe the cores.
#include <cblas.h>

/// The BLAS library's own configuration string (names the OpenBLAS build), for provenance.
static inline const char *copenblas_config(void) { return openblas_get_config(); }

#endif
