#ifndef WORKBENCH_COPENBLAS_SHIM_H
#define WORKBENCH_COPENBLAS_SHIM_H
// OpenBLAS for the BNN targets' forward and backward passes.
//
// The Fortran-style interface (f77blas.h: dgemm_, column-major) is used rather than cblas.h:
// the Plugins module also imports GSL, whose gsl_cblas.h defines the same CBLAS enum names
// (CBLAS_TRANSPOSE, CblasRowMajor, …) with different members, and clang refuses two
// definitions of one type in two modules. dgemm_ also binds to OpenBLAS for certain — GSL's
// reference libgslcblas, linked by CGSL, exports cblas_dgemm but no dgemm_.
#include <f77blas.h>

/// Limits OpenBLAS to `n` threads (chains already run in parallel).
void openblas_set_num_threads(int n);
/// The OpenBLAS build configuration string (for provenance).
char *openblas_get_config(void);
/// The name of the kernel set OpenBLAS chose for this CPU at load time (e.g. "Haswell").
char *openblas_get_corename(void);

#endif
