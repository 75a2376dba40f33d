#ifndef LIB_VERSION_H
#define LIB_VERSION_H

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
