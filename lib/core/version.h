/* The version every binary reports (isula version, the daemon's /version and /info, the
 * lxcfs binaries): the engine's, the Docker API versions it speaks, and the build's commit
 * (-DGIT_COMMIT, which the Makefile passes) and time (-DBUILD_TIME), else "unknown". */
#ifndef LIB_CORE_VERSION_H
#define LIB_CORE_VERSION_H

#define ISULAD_VERSION "1.0.0"
#define ISULAD_API_VERSION "1.41"
#define ISULAD_MIN_API_VERSION "1.24"
#ifndef GIT_COMMIT
#define GIT_COMMIT "unknown"
#endif
#ifndef BUILD_TIME
#define BUILD_TIME "unknown"
#endif

#endif
