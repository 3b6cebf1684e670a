/* SPDX-License-Identifier: GPL-3.0-or-later */
/* swapx: swaps two names forever with renameat2(RENAME_EXCHANGE), as the
 * unprivileged owner of a directory that holds an included file can (issue
 * 14). Test helper, not the plugin.
 *
 * usage: swapx A B   (prints "ready", swaps until killed)
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <linux/fs.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: swapx A B\n");
		return 2;
	}
	if (renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) < 0) {
		perror("swapx: renameat2");
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	for (;;)
		renameat2(AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE);
}
