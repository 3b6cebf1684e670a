/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fixture: files and trees that unit tests build in temporary directories
 * (fake /proc and cgroup trees). Test support, linked into every unit test;
 * each function fails the running cmocka test when the file system says no. */
#ifndef CHECK_LISTENERS_TEST_FIXTURE_H
#define CHECK_LISTENERS_TEST_FIXTURE_H

#include <stddef.h>

#include "inventory.h"

/* dir/name holding content. */
void fx_put_file(const char *dir, const char *name, const char *content);
/* dir/name, a symlink to target (any text: "socket:[42]" is fine). */
void fx_put_link(const char *dir, const char *name, const char *target);
/* root/name, a new directory; its path is written to out. */
void fx_put_dir(char *out, size_t size, const char *root, const char *name);
/* Removes root and everything below it, without following links. */
void fx_rm_tree(const char *root);
/* How many of the inventory notes start with prefix. */
size_t fx_notes_with(const struct inventory *inv, const char *prefix);

#endif
