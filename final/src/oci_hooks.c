/* oci_hooks.c - run OCI hooks; see oci_hooks.h. */
#include "oci_hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static int run_one(const struct hook *h, const char *state_json, struct err *e)
{
	char *default_argv[] = { h->path, NULL }, *no_env[] = { NULL };
	int in[2], pidfd, status;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return err_set(e, errno, "pipe");
	pid = fork();
	if (pid < 0) {
		close(in[0]), close(in[1]);
		return err_set(e, errno, "fork");
	}
	if (pid == 0) {
		dup2(in[0], STDIN_FILENO);
		execve(h->path, h->args ? h->args : default_argv, h->env ? h->env : no_env);
		_exit(127);
	}
	close(in[0]);
	/* A hook that does not read its stdin must not block us: ignore EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	write_all(in[1], state_json, strlen(state_json));
	close(in[1]);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0 && h->timeout > 0 &&
	    poll(&(struct pollfd){ .fd = pidfd, .events = POLLIN }, 1, h->timeout * 1000) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		close(pidfd);
		return err_set(e, 0, "hook %s: timed out after %d s", h->path, h->timeout);
	}
	if (pidfd >= 0)
		close(pidfd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(e, errno, "waitpid hook %s", h->path);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return err_set(e, 0, "hook %s failed (status %d)", h->path,
			       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

int oci_hooks_run(const struct hook_list *l, const char *point, const char *state_json,
		  struct err *e)
{
	for (size_t i = 0; i < l->n; i++)
		if (run_one(&l->hooks[i], state_json, e) < 0)
			return err_wrap(e, "%s: ", point);
	return 0;
}
