/* SPDX-License-Identifier: GPL-3.0-or-later */
/* help: --help, --version and the usage. tests/integration/t_cli.sh checks
 * the width of every line and that no '|' appears. */
#include "help.h"

#include "options.h"

static const char usage[] =
	"Usage: check_listeners [-C FILE] [-w RANGE] [-c RANGE] [-t SECONDS[:STATE]] ...\n"
	"Try 'check_listeners --help' for every option.\n";

static const char synopsis[] =
	"Usage:\n"
	"  check_listeners [-C FILE] [-w RANGE] [-c RANGE] [-t SECONDS[:STATE]]\n"
	"                  [-n] [-l] [-v[v[v]]] [--format FORMAT] [--max-output BYTES]\n"
	"                  [--severity CLASS=STATE]... [--registry FILE]\n"
	"  check_listeners --check-config [-C FILE]\n"
	"  check_listeners --generate-config [-n]\n"
	"  check_listeners --port-info PORT[/PROTO] [-C FILE] [--registry FILE]\n"
	"                  [--format FORMAT]\n"
	"  check_listeners -h, --help\n"
	"  check_listeners -V, --version\n";

static const char intro[] =
	"Reports listening sockets that the allowlist does not recognise, graded by\n"
	"the IANA class of their port (unassigned and reserved ports are CRITICAL,\n"
	"assigned and dynamic ones WARNING) or as suspicious (CRITICAL): on a\n"
	"known-abuse port (4444, 31337, ...) or run from /tmp, /dev/shm, a memfd.\n";

static const char options[] =
	"What to check:\n"
	"  -C, --config FILE      the allowlist (default " DEFAULT_CONFIG ")\n"
	"  -n, --all-netns        check every network namespace (containers) too\n"
	"      --registry FILE    an IANA port registry CSV instead of the built-in one\n"
	"      --severity CLASS=STATE\n"
	"                         state of an unrecognised listener on a port of\n"
	"                         CLASS (assigned, unassigned, reserved, dynamic,\n"
	"                         udp_ephemeral, suspicious, packet, packet_filter,\n"
	"                         raw, ping): ok, warning, critical or unknown\n"
	"\n"
	"Thresholds on the number of unrecognised listeners but UDP client sockets\n"
	"in the ephemeral range, which have their own perfdata (the config file's\n"
	"thresholds = { warning = \"RANGE\"; critical = \"RANGE\"; } unless given here):\n"
	"  -w, --warning RANGE    WARNING when the number is outside RANGE\n"
	"  -c, --critical RANGE   CRITICAL when the number is outside RANGE\n"
	"\n"
	"Output:\n"
	"  -v, --verbose          -v lists recognised listeners too, -vv adds notes,\n"
	"                         -vvv the sources used and the time of each stage\n"
	"  -l, --list             every listener in a table, then the result\n"
	"      --format FORMAT    text (the default) or json: one JSON document, see\n"
	"                         check_listeners(8) and check_listeners.schema.json\n"
	"      --max-output BYTES cut detail lines so that the whole output fits\n"
	"                         (512-1048576; 1024 for NRPE v2 peers)\n"
	"  -t, --timeout SECONDS[:STATE]\n"
	"                         give up after SECONDS (1-3600, default 10) with\n"
	"                         STATE: ok, warning, critical, unknown (the\n"
	"                         default) or its number 0-3\n"
	"\n"
	"Other modes:\n"
	"      --check-config     validate the configuration, then exit (0 or 3)\n"
	"      --generate-config  print a configuration recognising every listener\n"
	"      --port-info PORT[/PROTO]\n"
	"                         what the registry, the known-abuse list, the\n"
	"                         configuration (-C) and this host say about a port\n"
	"  -h, --help             this help\n"
	"  -V, --version          the version and the registry snapshot\n"
	"\n"
	"RANGE is [@][START:][END], e.g. 0, 5:, @1:3 or ~:10 (START:END inclusive;\n"
	"with @ the alert is inside). Exit codes: 0 OK, 1 WARNING, 2 CRITICAL,\n"
	"3 UNKNOWN (also after --help and --version).\n";

void help_version(const char *snapshot, struct strbuf *out)
{
	sb_printf(out, "check_listeners %s (IANA port registry snapshot %s)\n", VERSION, snapshot);
}

void help_full(const char *snapshot, struct strbuf *out)
{
	help_version(snapshot, out);
	sb_puts(out, synopsis);
	sb_putc(out, '\n');
	sb_puts(out, intro);
	sb_putc(out, '\n');
	sb_puts(out, options);
}

bool help_answer(const struct options *o, const char *snapshot, struct strbuf *out)
{
	if (o->mode == MODE_HELP)
		help_full(snapshot, out);
	else if (o->mode == MODE_VERSION)
		help_version(snapshot, out);
	return o->mode == MODE_HELP || o->mode == MODE_VERSION;
}

const char *help_usage(void)
{
	return usage;
}
