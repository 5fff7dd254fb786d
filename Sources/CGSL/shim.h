#ifndef WORKBENCH_CGSL_SHIM_H
#define WORKBENCH_CGSL_SHIM_H
// The parts of GSL the workbench uses. Swift cannot import GSL's global rng-type
// variables under strict concurrency, nor its function-like macros, so the
// `static inline` accessors below expose what is needed.
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_fft_real.h>
#include <gsl/gsl_fft_halfcomplex.h>
#include <gsl/gsl_fft_complex.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_version.h>

/// The Mersenne-Twister generator type (`gsl_rng_mt19937` is a global variable).
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }

/// GSL's version string (`gsl_version` is a global variable).
static inline const char *cgsl_version(void) { return gsl_version; }

#endif
