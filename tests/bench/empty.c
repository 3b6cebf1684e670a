/* SPDX-License-Identifier: GPL-3.0-or-later */
/* empty: a reference for the benchmark. Not part of the plugin.
 *
 * usage: empty
 *
 * Does nothing. Built like any program (dynamically linked against libc
 * alone), its time is what starting and ending a process costs on this
 * machine: with the ratio to ss beside it, the part of a small host's check
 * that no dynamically linked checker can avoid.
 */
int main(void)
{
	return 0;
}
