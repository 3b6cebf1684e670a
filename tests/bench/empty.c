/* SPDX-License-Identifier: GPL-3.0-or-later */
/* empty: a reference for the benchmark. Not part of the plugin.
 *
 * usage: empty
 *
 * Does nothing. Built like any program (dynamically linked against libc
 * alone), its time is what starting and ending a process costs on this
 * machine: with the ratio to ss beside it, the part of a small host's check
 * that no dynamically linked checker can avoid. bench.sh builds it a second
 * time as empty-libs, linked with libmnl and libconfig as well (loaded though
 * nothing calls them): the part that no checker bound to those two libraries
 * can avoid.
 */
int main(void)
{
	return 0;
}
