#ifndef WORKBENCH_ALLOCATION_COUNTER_H
#define WORKBENCH_ALLOCATION_COUNTER_H
// Counts the heap allocations of the calling thread, for the tests of the contract that no
// sampler step and no target gradient allocates (issue 9).
//
// AllocationCounter.c defines malloc, calloc and realloc, which pass every call on to glibc's
// __libc_malloc, __libc_calloc and __libc_realloc after counting it in a thread-local counter.
// Linked into the test executable, these definitions take the place of glibc's for the whole
// process (ELF symbol interposition, as allocators such as jemalloc are interposed); free and
// the aligned allocators stay glibc's. Thread-local, so the tests that Swift Testing runs in
// parallel on other threads do not enter the count.

/// The number of malloc, calloc and realloc calls this thread has made.
unsigned long long workbench_thread_allocations(void);

#endif
