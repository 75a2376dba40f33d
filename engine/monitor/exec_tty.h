/* `isulad-monitor exec --tty`: the command on a pty of the container's devpts, copied to and
 * from the monitor's stdio by the monitor itself (see exec_tty.c). */
#ifndef ENGINE_MONITOR_EXEC_TTY_H
#define ENGINE_MONITOR_EXEC_TTY_H

#include <lxc/attach_options.h>
#include <lxc/lxccontainer.h>

/* Runs argv in c as opts says (its stdio fds are set here); the command's wait status, or -1
 * with a message on stderr when it could not run. */
int exec_tty_run(struct lxc_container *c, lxc_attach_options_t *opts, char **argv);

#endif
