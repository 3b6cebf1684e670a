/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_listeners: options -> config -> collect -> classify -> owners -> decide -> report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "deadline.h"
#include "ephemeral.h"
#include "help.h"
#include "inventory.h"
#include "json.h"
#include "learn.h"
#include "listing.h"
#include "namespaces.h"
#include "options.h"
#include "owners.h"
#include "ownertext.h"
#include "placement.h"
#include "policy.h"
#include "port_info.h"
#include "registry.h"
#include "registry_csv.h"
#include "report.h"
#include "rpcbind.h"
#include "strbuf.h"
#include "timeout.h"
#include "trust.h"
#include "util.h"

/* Everything one run holds; freed in one place. */
struct run {
	struct options o;
	struct policy pol;
	struct config_errors cerr;
	struct registry *loaded;        /* --registry / registry.file, else NULL */
	const struct registry *reg;
	struct inventory inv;
	struct decision d;
	uint8_t *want;                 /* enum owner_need per listener */
	struct run_info ri;
	char note[512];
	char owner_note[512];
	struct ns_stats ns;
	struct trust trust;             /* the rule for every file read */
	struct timespec t0;
	bool json_done;                 /* out already holds the JSON document */
	struct timeout_msg timeout;     /* the -t message, cut at the stage */
};

static enum state load_config(struct run *r, struct strbuf *out)
{
	int rc;

	deadline_stage("reading the configuration");
	rc = config_load(r->o.config, &r->trust, &r->pol, &r->cerr);
	if (rc == -ENOENT && options_config_optional(&r->o)) {
		config_errors_free(&r->cerr);
		snprintf(r->note, sizeof(r->note), "no %s: running on built-in defaults (no allow rules)",
				r->o.config);
		r->ri.config_note = r->note;
		return STATE_OK;
	}
	return rc < 0 ? report_config_failed(r->o.config, rc, &r->cerr, out) : STATE_OK;
}

static enum state load_registry(struct run *r, struct strbuf *out)
{
	const char *file = r->o.registry ? r->o.registry : r->pol.registry_file;
	char err[512];

	r->reg = registry_builtin();
	if (!file)
		return STATE_OK;
	deadline_stage("loading the port registry");
	if (registry_load_csv(file, &r->trust, &r->loaded, err, sizeof(err)) < 0)
		return report_unknownf(out, NULL, 0, "cannot use port registry: %s", err);
	r->reg = r->loaded;
	return STATE_OK;
}

/* Dumps and classifies. Returns 0, or -1 with an UNKNOWN result in out. */
static int collect(struct run *r, struct strbuf *out)
{
	char err[512];

	deadline_stage("dumping listening sockets");
	if (ns_collect(&r->inv, r->pol.all_netns, "/proc", deadline_left_ms(), &r->ns, err, sizeof(err)) < 0) {
		report_unknownf(out, NULL, 0, "cannot list listening sockets: %s", err);
		return -1;
	}
	r->ri.ns_found = r->ns.found;
	r->ri.ns_skipped = r->ns.skipped;
	r->ri.ns_reason = r->ns.skipped_reason;
	r->ri.ns_explicit = r->pol.all_netns;   /* -n or netns.all: the same promise */
	if (policy_uses_rpc(&r->pol) || r->o.mode == MODE_GENERATE_CONFIG)
		rpcbind_collect(&r->inv, RPCBIND_SOCKET, deadline_work_end());
	if (inv_group(&r->inv) < 0) {
		report_unknownf(out, NULL, 0, "out of memory grouping %zu sockets", r->inv.nsocks);
		return -1;
	}
	policy_classify(&r->pol, &r->inv, r->reg);
	return 0;
}

static enum state attribute(struct run *r, int64_t now)
{
	struct owners_env env = { "/proc", NULL, deadline_work_end() };
	struct owners_stats st = { 0 };
	bool all = options_all_owners(&r->o);

	r->want = calloc(r->inv.nls ? r->inv.nls : 1, sizeof(*r->want));
	if (!r->want)
		return STATE_UNKNOWN;
	deadline_stage("looking up users and units");
	policy_want_owners(&r->pol, &r->inv, now, all, false, r->want);
	if (owners_resolve_cheap(&r->inv, r->want,
			all || options_show_users(&r->o) || policy_names_users(&r->pol), &env) < 0)
		return STATE_UNKNOWN;
	deadline_stage("scanning /proc for socket owners");
	if ((policy_want_owners(&r->pol, &r->inv, now, all, true, r->want) > 0 &&
	     owners_scan(&r->inv, r->want, &env, &st) < 0) ||
	    placement_run(&r->inv, r->want, &env, "/proc/self/mountinfo") < 0)
		return STATE_UNKNOWN;
	if (ownertext_denied_note(&r->inv, &st, r->owner_note, sizeof(r->owner_note)))
		r->ri.owner_note = r->owner_note;
	return STATE_OK;
}

static enum state check(struct run *r, struct strbuf *out)
{
	int64_t now = (int64_t)time(NULL);

	if (collect(r, out) < 0)
		return STATE_UNKNOWN;
	if (attribute(r, now) != STATE_OK)
		return report_unknownf(out, NULL, 0, "out of memory while looking up socket owners");
	deadline_stage("deciding");
	if (policy_decide(&r->pol, &r->inv, now, &r->d) < 0)
		return report_unknownf(out, NULL, 0, "out of memory while deciding");
	/* -n or netns.all asked for every namespace: one not checked is UNKNOWN. */
	if (r->ns.skipped > 0 && r->pol.all_netns)
		r->d.state = state_worst(r->d.state, STATE_UNKNOWN);
	r->ri.seconds = deadline_seconds_since(&r->t0);
	r->ri.reg = r->reg;
	deadline_stage("writing the result");
	r->ri.nstages = deadline_stages(&r->ri.stages);
	if (r->o.mode == MODE_GENERATE_CONFIG) {
		learn_generate(&r->inv, out);
		return STATE_OK;
	}
	if (r->o.format == FORMAT_JSON) {
		json_report(&r->o, &r->pol, &r->inv, &r->d, &r->ri, out);
		r->json_done = true;
	} else if (r->o.mode == MODE_LIST)
		listing_report(&r->o, &r->pol, &r->inv, &r->d, &r->ri, out);
	else
		report_check(&r->o, &r->pol, &r->inv, &r->d, &r->ri, out);
	return r->d.state;
}

/* With -C the configuration's overrides count too: one class everywhere. */
static enum state port_info(struct run *r, struct strbuf *out)
{
	struct netns local = { .label = "host" };
	enum state s;

	if (r->o.config_given && (s = load_config(r, out)) != STATE_OK)
		return s;
	if ((s = load_registry(r, out)) != STATE_OK)
		return s;
	ephemeral_read("/proc", &local);
	if (r->o.format == FORMAT_JSON)
		json_port_info(r->o.info_port, r->o.info_proto, r->reg, &r->pol, &local, out);
	else
		report_port_info(r->o.info_port, r->o.info_proto, r->reg, &r->pol, &local, out);
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
		report_config_ok(r->o.config, r->pol.nrules, &r->cerr, out);
		return STATE_OK;
	}
	options_apply(&r->o, &r->pol);
	if ((s = load_registry(r, out)) != STATE_OK)
		return s;
	return check(r, out);
}

static void run_free(struct run *r)
{
	timeout_free(&r->timeout);
	decision_free(&r->d);
	inv_free(&r->inv);
	free(r->want);
	registry_free(r->loaded);
	config_errors_free(&r->cerr);
	policy_free(&r->pol);
}

int main(int argc, char **argv)
{
	static struct run r;
	struct strbuf out = STRBUF_INIT;
	char err[256];
	bool bad;
	enum state s;

	clock_gettime(CLOCK_MONOTONIC, &r.t0);
	util_process_init();
	r.trust = trust_of_process();
	policy_init(&r.pol);
	inv_init(&r.inv);
	bad = options_parse(argc, argv, &r.o, err, sizeof(err)) < 0;
	if (bad) {
		report_usage(err, &out);
		s = STATE_UNKNOWN;
	} else if (help_answer(&r.o, registry_snapshot(registry_builtin()), &out)) {
		s = STATE_UNKNOWN;
	} else {
		timeout_arm(&r.o, &r.timeout);
		s = run(&r, &out);
	}
	/* --format json promises one JSON document, also for an early UNKNOWN */
	if (!r.json_done && (options_json_owed(&r.o) || (bad && r.o.format == FORMAT_JSON)))
		json_wrap_error(s, r.reg ? registry_snapshot(r.reg) : NULL, deadline_seconds_since(&r.t0), &out);
	if (out.oom)
		sb_puts(&out, "\n(output truncated: out of memory)\n");
	sb_write(&out, STDOUT_FILENO);
	deadline_stop();
	sb_free(&out);
	run_free(&r);
	return (int)s;
}
