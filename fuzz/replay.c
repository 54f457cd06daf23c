// SPDX-License-Identifier: MIT
/*
 * Replay driver: runs a fuzz target's LLVMFuzzerTestOneInput() on every
 * file named on the command line or found in a named directory, without
 * the fuzzing engine.  `make check` builds each target with this driver
 * under ASan + UBSan and replays fuzz/corpus/<target>/, so every input
 * the fuzzer ever kept (including past crashes) stays a regression test.
 * Prints "# file" before each input (a crash report then names it) and
 * one TAP line at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long len;

	if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	/* an exact-size copy, so that ASan sees every read past the end */
	buf = malloc(len ? (size_t)len : 1);
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		fprintf(stderr, "replay: %s: read failed\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	printf("# %s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, (size_t)len);
	free(buf);
	return 0;
}

/* Every regular file of dir, in name order; returns how many, -1 on error. */
static int replay_dir(const char *dir)
{
	struct dirent **list;
	int n = scandir(dir, &list, NULL, alphasort), done = 0;

	if (n < 0) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
		if (!stat(path, &st) && S_ISREG(st.st_mode)) {
			if (replay_file(path))
				done = -1;
			else if (done >= 0)
				done++;
		}
		free(list[i]);
	}
	free(list);
	return done;
}

int main(int argc, char **argv)
{
	const char *name = argc > 0 ? strrchr(argv[0], '/') : NULL;
	int total = 0;

	name = name ? name + 1 : argv[0];
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int n;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			printf("not ok 1 - %s: %s missing\n", name, argv[i]);
			return 1;
		}
		n = S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i]) ? -1 : 1;
		if (n < 0) {
			printf("not ok 1 - %s: cannot read %s\n", name, argv[i]);
			return 1;
		}
		total += n;
	}
	printf("%s 1 - %s: %d inputs replayed\n",
	       total ? "ok" : "not ok", name, total);
	return total ? 0 : 1;
}
