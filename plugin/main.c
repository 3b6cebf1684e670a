/* check_listeners: parse options -> load config -> collect -> classify ->
 * attribute -> decide -> report -> exit. The only exit point is main's return. */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "deadline.h"
#include "ephemeral.h"
#include "inventory.h"
#include "json.h"
#include "learn.h"
#include "namespaces.h"
#include "options.h"
#include "owners.h"
#include "policy.h"
#include "registry.h"
#include "report.h"
#include "strbuf.h"

/* Everything one run holds; freed in one place. */
struct run {
	struct options o;
	struct policy pol;
	struct config_errors cerr;
	struct registry *loaded;        /* --registry / registry.file, else NULL */
	const struct registry *reg;
	struct inventory inv;
	struct decision d;
	bool *want;
	struct run_info ri;
	char note[512];
	char owner_note[512];
	char ns_reason[160];
	struct timespec t0;
	bool json_done;                 /* out already holds the JSON document */
};

static double elapsed(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* An UNKNOWN result with a reason and detail lines. Returns STATE_UNKNOWN. */
static enum state unknown(struct strbuf *out, char **details, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static enum state unknown(struct strbuf *out, char **details, size_t n, const char *fmt, ...)
{
	char reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	report_unknown(reason, details, n, out);
	return STATE_UNKNOWN;
}

static enum state load_config(struct run *r, struct strbuf *out)
{
	int rc;

	deadline_stage("reading the configuration");
	rc = config_load(r->o.config, geteuid() == 0, &r->pol, &r->cerr);
	if (rc == -ENOENT && !r->o.config_given && r->o.mode != MODE_CHECK_CONFIG) {
		config_errors_free(&r->cerr);
		snprintf(r->note, sizeof(r->note), "no %s: running on built-in defaults (no allow rules)",
				r->o.config);
		r->ri.config_note = r->note;
		return STATE_OK;
	}
	if (rc < 0)
		return unknown(out, r->cerr.msg, r->cerr.n, "configuration %s is %s (%zu error%s)",
				r->o.config, rc == -EINVAL ? "invalid" : "unusable",
				r->cerr.n, r->cerr.n == 1 ? "" : "s");
	return STATE_OK;
}

/* Command-line severities and thresholds win over the file. */
static void apply_options(struct run *r)
{
	for (size_t i = 0; i < r->o.nsev; i++)
		r->pol.severity[r->o.sev[i].cls] = r->o.sev[i].state;
	if (r->o.warn.set)
		r->pol.warn = r->o.warn;
	if (r->o.crit.set)
		r->pol.crit = r->o.crit;
	if (r->o.all_netns)
		r->pol.all_netns = true;
}

static enum state load_registry(struct run *r, struct strbuf *out)
{
	const char *file = r->o.registry ? r->o.registry : r->pol.registry_file;
	char err[512];

	r->reg = registry_builtin();
	if (!file)
		return STATE_OK;
	deadline_stage("loading the port registry");
	if (registry_load_csv(file, &r->loaded, err, sizeof(err)) < 0)
		return unknown(out, NULL, 0, "cannot use port registry: %s", err);
	r->reg = r->loaded;
	return STATE_OK;
}

static enum reg_proto reg_proto_of(unsigned proto)
{
	return proto == PROTO_TCP ? REG_TCP : proto == PROTO_SCTP ? REG_SCTP : REG_UDP;
}

/* Dumps and classifies. Returns 0, or -1 with an UNKNOWN result in out.
 * *pending is raised to UNKNOWN when --all-netns was asked for and namespaces
 * had to be skipped. */
static int collect(struct run *r, struct strbuf *out, enum state *pending)
{
	struct ns_stats st = { 0 };
	char err[512];

	deadline_stage("dumping listening sockets");
	if (ns_collect(&r->inv, r->pol.all_netns, "/proc", deadline_left_ms(), &st, err, sizeof(err)) < 0) {
		unknown(out, NULL, 0, "cannot list listening sockets: %s", err);
		return -1;
	}
	r->ri.ns_found = st.found;
	r->ri.ns_skipped = st.skipped;
	snprintf(r->ns_reason, sizeof(r->ns_reason), "%s", st.skipped_reason);
	r->ri.ns_reason = r->ns_reason;
	r->ri.ns_explicit = r->o.all_netns;
	if (inv_group(&r->inv) < 0) {
		unknown(out, NULL, 0, "out of memory grouping %zu sockets", r->inv.nsocks);
		return -1;
	}
	for (size_t i = 0; i < r->inv.nls; i++) {
		struct listener *l = &r->inv.ls[i];

		struct port_info pi;

		registry_lookup(r->reg, l->s->port, reg_proto_of(l->s->proto), &pi);
		ephemeral_classify(&r->inv.ns[l->s->netns], l->s->port, &pi);
		listener_set_reg(l, &pi);
	}
	if (st.skipped > 0 && r->o.all_netns)
		*pending = STATE_UNKNOWN;
	return 0;
}

/* True when a required rule might match l once its owner is known: without
 * the owner, the rule would count as missing although its service is up. */
static bool required_needs_owner(const struct policy *pol, const struct inventory *inv,
		const struct listener *l, int64_t now)
{
	for (size_t i = 0; i < pol->nrules; i++)
		if (pol->rules[i].require && rule_match(&pol->rules[i], inv, l, now) == MATCH_UNKNOWN)
			return true;
	return false;
}

/* Marks the listeners whose owner is still needed: no rule settles them yet,
 * a required rule needs it, or every owner is wanted (--list,
 * --generate-config). With refine, only listeners still marked are asked
 * again: learning owner fields can settle a listener, never unsettle one.
 * Returns how many are marked. */
static size_t mark_wanted(struct run *r, int64_t now, bool all, bool refine)
{
	size_t n = 0, rule;

	for (size_t i = 0; i < r->inv.nls; i++) {
		const struct listener *l = &r->inv.ls[i];

		if (refine && !r->want[i])
			continue;
		r->want[i] = all || policy_match(&r->pol, &r->inv, l, now, &rule) != MATCH_YES ||
			required_needs_owner(&r->pol, &r->inv, l, now);
		n += r->want[i];
	}
	return n;
}

static void explain_owners(struct run *r, const struct owners_stats *st)
{
	size_t denied = 0;
	const char *s;

	for (size_t i = 0; i < r->inv.nls; i++)
		denied += listener_owner(&r->inv, &r->inv.ls[i])->state == OWNER_DENIED;
	if (denied == 0)
		return;
	s = denied == 1 ? "" : "s";
	if (st->out_of_time)
		snprintf(r->owner_note, sizeof(r->owner_note),
			"process of %zu listener%s unknown: the /proc scan ran out of time (raise -t)", denied, s);
	else if (st->privileged && st->denied_pid > 0)
		snprintf(r->owner_note, sizeof(r->owner_note),
			"process of %zu listener%s unknown: the open files of %u process%s (e.g. pid %d %.15s) "
			"could not be read even with CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE "
			"(another user namespace or a more privileged process)", denied, s,
			st->procs_denied, st->procs_denied == 1 ? "" : "es", (int)st->denied_pid, st->denied_comm);
	else
		snprintf(r->owner_note, sizeof(r->owner_note),
			"process of %zu listener%s unknown: reading other users' /proc/PID/fd needs "
			"CAP_DAC_READ_SEARCH and CAP_SYS_PTRACE%s; run the plugin through sudo or grant "
			"those capabilities (see README, Privileges)",
			denied, s, st->hidden_procs ? " and /proc without hidepid" : "");
	r->ri.owner_note = r->owner_note;
}

/* Whether every listener's user name is needed, not only the wanted ones':
 * the output shows recognised listeners too, or a user rule may decide
 * which rule recognises a listener (the first that matches is reported). */
static bool all_users(const struct run *r, bool all)
{
	if (all || r->o.format == FORMAT_JSON || r->o.verbose > 0)
		return true;
	for (size_t i = 0; i < r->pol.nrules; i++)
		if (r->pol.rules[i].user)
			return true;
	return false;
}

static enum state attribute(struct run *r, int64_t now)
{
	struct owners_env env = { "/proc", NULL, { 0, 0 } };
	struct owners_stats st = { 0 };
	bool all = r->o.mode == MODE_LIST || r->o.mode == MODE_GENERATE_CONFIG;
	struct timespec end = deadline_at();

	r->want = calloc(r->inv.nls ? r->inv.nls : 1, sizeof(*r->want));
	if (!r->want)
		return STATE_UNKNOWN;
	/* Keep a tenth of the time (at most a second) to decide and report. */
	if (end.tv_sec) {
		long long keep = r->o.timeout >= 10 ? 1000000000LL : (long long)r->o.timeout * 100000000LL;
		long long ns = (long long)end.tv_sec * 1000000000LL + end.tv_nsec - keep;

		env.deadline.tv_sec = ns / 1000000000LL;
		env.deadline.tv_nsec = ns % 1000000000LL;
	}
	deadline_stage("looking up users and units");
	mark_wanted(r, now, all, false);
	if (owners_resolve_cheap(&r->inv, r->want, all_users(r, all), &env) < 0)
		return STATE_UNKNOWN;
	deadline_stage("scanning /proc for socket owners");
	if (mark_wanted(r, now, all, true) > 0 && owners_scan(&r->inv, r->want, &env, &st) < 0)
		return STATE_UNKNOWN;
	explain_owners(r, &st);
	return STATE_OK;
}

static enum state check(struct run *r, struct strbuf *out)
{
	enum state pending = STATE_OK;
	int64_t now = (int64_t)time(NULL);

	if (collect(r, out, &pending) < 0)
		return STATE_UNKNOWN;
	if (attribute(r, now) != STATE_OK)
		return unknown(out, NULL, 0, "out of memory while looking up socket owners");
	deadline_stage("deciding");
	if (policy_decide(&r->pol, &r->inv, now, &r->d) < 0)
		return unknown(out, NULL, 0, "out of memory while deciding");
	r->d.state = state_worst(r->d.state, pending);
	r->ri.seconds = elapsed(&r->t0);
	r->ri.reg = r->reg;
	deadline_stage("writing the result");
	if (r->o.mode == MODE_GENERATE_CONFIG) {
		config_generate(&r->inv, out);
		return STATE_OK;
	}
	if (r->o.format == FORMAT_JSON) {
		report_json(&r->o, &r->pol, &r->inv, &r->d, &r->ri, out);
		r->json_done = true;
	}
	else if (r->o.mode == MODE_LIST)
		report_list(&r->o, &r->pol, &r->inv, &r->d, &r->ri, out);
	else
		report_check(&r->o, &r->pol, &r->inv, &r->d, &r->ri, out);
	return r->d.state;
}

static enum state port_info(struct run *r, struct strbuf *out)
{
	struct netns local = { .label = "host" };
	enum state s;

	if ((s = load_registry(r, out)) != STATE_OK)
		return s;
	ephemeral_read("/proc", &local);
	report_port_info(r->o.info_port, r->o.info_proto, r->reg, &local, out);
	free(local.reserved);
	return s;
}

static enum state run(struct run *r, struct strbuf *out)
{
	enum state s;

	if (r->o.mode == MODE_PORT_INFO)
		return port_info(r, out);
	if (r->o.mode != MODE_GENERATE_CONFIG && (s = load_config(r, out)) != STATE_OK)
		return s;
	if (r->o.mode == MODE_CHECK_CONFIG) {
		sb_printf(out, "LISTENERS OK - configuration %s is valid (%zu rule%s)\n",
				r->o.config, r->pol.nrules, r->pol.nrules == 1 ? "" : "s");
		return STATE_OK;
	}
	apply_options(r);
	if ((s = load_registry(r, out)) != STATE_OK)
		return s;
	return check(r, out);
}

static void run_free(struct run *r)
{
	decision_free(&r->d);
	inv_free(&r->inv);
	free(r->want);
	registry_free(r->loaded);
	config_errors_free(&r->cerr);
	policy_free(&r->pol);
}

/* Writes everything, retrying short writes; a closed stdout is not our failure
 * to report, so errors are ignored (SIGPIPE is ignored too). */
static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

/* --format json promises one JSON document, also for an early UNKNOWN. */
static void as_json(enum state s, struct strbuf *out)
{
	struct strbuf doc = STRBUF_INIT;

	report_json_text(s, sb_cstr(out), &doc);
	sb_free(out);
	*out = doc;
}

static enum state usage_error(const char *err, struct strbuf *out)
{
	sb_puts(out, "LISTENERS UNKNOWN - ");
	sb_put_escaped(out, err, 0);
	sb_putc(out, '\n');
	sb_puts(out, options_usage());
	return STATE_UNKNOWN;
}

int main(int argc, char **argv)
{
	static struct run r;
	struct strbuf out = STRBUF_INIT;
	char err[256];
	enum state s;

	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	/* Arrays of sockets and listeners grow by realloc(): mapped apart from the
	 * heap they grow by mremap() instead of copying, and their untouched pages
	 * cost nothing. A fixed threshold also stops glibc from raising it (and
	 * putting them on the heap again) after a large block is freed. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	/* Often run as root through sudo: hold no inherited descriptor but stdio,
	 * and let no environment variable change behaviour (TZ would move the day
	 * a rule expires; the local time is /etc/localtime's). */
	close_range(3, ~0U, 0);
	clearenv();
	signal(SIGPIPE, SIG_IGN);
	policy_init(&r.pol);
	inv_init(&r.inv);
	if (options_parse(argc, argv, &r.o, err, sizeof(err)) < 0) {
		s = usage_error(err, &out);
	} else if (r.o.mode == MODE_HELP) {
		sb_puts(&out, options_help());
		s = STATE_UNKNOWN;
	} else if (r.o.mode == MODE_VERSION) {
		sb_printf(&out, "check_listeners %s (IANA port registry snapshot %s)\n", VERSION,
				registry_snapshot(registry_builtin()));
		s = STATE_UNKNOWN;
	} else {
		deadline_json(r.o.format == FORMAT_JSON);
		deadline_start(r.o.timeout, (int)r.o.timeout_state);
		s = run(&r, &out);
		if (r.o.format == FORMAT_JSON && !r.json_done &&
		    (r.o.mode == MODE_CHECK || r.o.mode == MODE_LIST))
			as_json(s, &out);
	}
	if (out.oom)
		sb_puts(&out, "\n(output truncated: out of memory)\n");
	write_all(sb_cstr(&out), out.len);
	sb_free(&out);
	run_free(&r);
	return (int)s;
}
