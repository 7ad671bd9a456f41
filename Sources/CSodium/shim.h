#include <sodium.h>

#ifdef __linux__
#include <sys/prctl.h>

/* prctl is variadic, so Swift cannot call it: this fixed-arity wrapper keeps the process's
   memory (the master key) out of core dumps and away from ptrace by other processes of its user. */
static inline int pollbot_set_nondumpable(void) { return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }
static inline int pollbot_is_dumpable(void) { return prctl(PR_GET_DUMPABLE, 0, 0, 0, 0); }
#endif
