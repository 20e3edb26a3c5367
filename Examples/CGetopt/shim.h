#ifndef CGETOPT_SHIM_H
#define CGETOPT_SHIM_H

// The C library's getopt_long, which Swift's Glibc module does not export,
// for the examples' command lines.
#include <getopt.h>

// getopt keeps its state in globals; these accessors let Swift reach them
// without touching C globals directly. Parse from one thread only.
static inline void cgetopt_reset(void) { optind = 1; opterr = 0; }
static inline int cgetopt_index(void) { return optind; }
static inline const char *cgetopt_argument(void) { return optarg; }

#endif
