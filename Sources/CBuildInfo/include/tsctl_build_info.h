#ifndef TSCTL_BUILD_INFO_H
#define TSCTL_BUILD_INFO_H

/* The git commit this binary was built from ("unknown commit" when it was
 * built outside a git checkout, e.g. from a release tarball). */
const char *tsctl_build_commit(void);

#endif
