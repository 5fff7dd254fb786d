// What Swift cannot call directly: prctl(2) is variadic.
#ifndef WORKBENCH_PROCESS_CONTROL_H
#define WORKBENCH_PROCESS_CONTROL_H

#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

/// Asks the kernel to send SIGKILL to this process when the thread that started it exits
/// (PR_SET_PDEATHSIG); 0 on success, -1 with errno set, and 0 (nothing done) off Linux.
static inline int workbench_kill_when_parent_dies(void) {
#ifdef __linux__
    return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
#else
    return 0;
#endif
}

#endif
