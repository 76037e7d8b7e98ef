/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one directory walk. */
#pragma once

/* Calls 'f' with each entry of the directory 'fd' but "." and "..", in directory order, until one
 * call returns non-zero: < 0 for an error, > 0 to stop early (a search that found what it looked
 * for). Takes 'fd' over and closes it.
 * Returns that call's value, readdir()'s error, or 0 when every entry was seen. */
typedef int (*dir_entry_func_t)(int dir_fd, const char *name, void *userdata);
int dir_for_each(int fd, dir_entry_func_t f, void *userdata);
