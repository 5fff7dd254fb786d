#ifndef WORKBENCH_CPLPLOT_SHIM_H
#define WORKBENCH_CPLPLOT_SHIM_H
// PLplot's C API. Its public names are c_pl*; plplot.h maps pl* to them with macros,
// which Swift does not import, so Swift calls the c_pl* names directly.
#include <plplot/plplot.h>
#endif
