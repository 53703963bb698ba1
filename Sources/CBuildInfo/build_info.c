#include "tsctl_build_info.h"

/* commit.h is written by Scripts/lib/common.sh (build_tsctl) from `git describe`
 * before each build, and only when it changes, so a new commit recompiles this
 * file and relinks, nothing else. It is not in the repository: a build without
 * it (a tarball, a plain `swift build` in a fresh clone) says "unknown commit". */
#if __has_include("commit.h")
#include "commit.h"
#endif

#ifndef TSCTL_COMMIT
#define TSCTL_COMMIT "unknown commit"
#endif

const char *tsctl_build_commit(void) { return TSCTL_COMMIT; }
