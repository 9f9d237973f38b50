// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The policy file's parser: libyaml loads the document, and a table of
 * keys per mapping (top, rule, subject, object, limits, iova) walks it into
 * struct policy. A key that no table has is an error naming the keys that
 * table accepts; every error carries the line and column of the node.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>
#include "policy/policy.h"

struct walk {
	yaml_document_t *doc;
	const char *file;
	struct policy *p;
	struct policy_rule *rule;	/* the rule being read */
	struct policy_err *err;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct walk *w, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(w->err->msg, sizeof(w->err->msg), "%s:%zu:%zu: ", w->file,
		       n->start_mark.line + 1, n->start_mark.column + 1);
	va_start(ap, fmt);
	if (len >= 0 && (size_t)len < sizeof(w->err->msg))
		vsnprintf(w->err->msg + len, sizeof(w->err->msg) - len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static struct policy_mark mark_of(const yaml_node_t *n)
{
	return (struct policy_mark){ n->start_mark.line + 1, n->start_mark.column + 1 };
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A scalar node, else the error "expected WHAT". */
static int want_scalar(struct walk *w, const yaml_node_t *n, const char *what)
{
	if (n->type != YAML_SCALAR_NODE)
		return fail(w, n, "expected %s", what);
	return 0;
}

static int get_u64(struct walk *w, const yaml_node_t *n, const char *what, __u64 max, __u64 *out)
{
	const char *s;
	char *end;

	if (want_scalar(w, n, what))
		return -EINVAL;
	s = scalar(n);
	if (*s < '0' || *s > '9')
		return fail(w, n, "expected %s, not '%s'", what, s);
	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || *end || *out > max)
		return fail(w, n, "expected %s, not '%s'", what, s);
	return 0;
}

static int get_u32(struct walk *w, const yaml_node_t *n, const char *what, __u32 *out)
{
	__u64 v;

	if (get_u64(w, n, what, 0xffffffffULL, &v))
		return -EINVAL;
	*out = (__u32)v;
	return 0;
}

static int get_str(struct walk *w, const yaml_node_t *n, const char *what, char *out, size_t size)
{
	if (want_scalar(w, n, what))
		return -EINVAL;
	if (!*scalar(n) || strlen(scalar(n)) >= size)
		return fail(w, n, "expected %s (1 to %zu characters)", what, size - 1);
	strcpy(out, scalar(n));
	return 0;
}

static int get_path(struct walk *w, const yaml_node_t *n, const char *what, char *out)
{
	if (get_str(w, n, what, out, POLICY_PATH_LEN))
		return -EINVAL;
	if (out[0] != '/')
		return fail(w, n, "expected %s (an absolute path), not '%s'", what, out);
	return 0;
}

/* One key of a mapping: its name and what reads its value. */
struct key {
	const char *name;
	int (*read)(struct walk *w, yaml_node_t *v);
};

/* Walk mapping N with table KEYS (NKEYS rows); WHAT names the mapping. */
static int walk_map(struct walk *w, yaml_node_t *n, const char *what,
		    const struct key *keys, size_t nkeys)
{
	yaml_node_pair_t *pair;
	unsigned int seen = 0;

	if (n->type != YAML_MAPPING_NODE)
		return fail(w, n, "expected %s (a mapping)", what);
	for (pair = n->data.mapping.pairs.start; pair < n->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = yaml_document_get_node(w->doc, pair->key);
		yaml_node_t *v = yaml_document_get_node(w->doc, pair->value);
		char list[256] = "";
		size_t i;

		if (want_scalar(w, k, "a key"))
			return -EINVAL;
		for (i = 0; i < nkeys; i++)
			if (!strcmp(scalar(k), keys[i].name))
				break;
		if (i == nkeys) {
			for (i = 0; i < nkeys; i++)
				snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
					 i ? ", " : "", keys[i].name);
			return fail(w, k, "unknown key '%s' in %s: expected one of %s",
				    scalar(k), what, list);
		}
		if (seen & (1u << i))
			return fail(w, k, "key '%s' given twice in %s", keys[i].name, what);
		seen |= 1u << i;
		if (keys[i].read(w, v))
			return -EINVAL;
	}
	return 0;
}

/* subject: */
static int read_uid(struct walk *w, yaml_node_t *v)
{
	w->rule->r.match |= ITR_ENF_M_UID;
	return get_u32(w, v, "a uid (a number)", &w->rule->r.uid);
}

static int read_gid(struct walk *w, yaml_node_t *v)
{
	w->rule->r.match |= ITR_ENF_M_GID;
	return get_u32(w, v, "a gid (a number)", &w->rule->r.gid);
}

static int read_cgroup(struct walk *w, yaml_node_t *v)
{
	w->rule->r.match |= ITR_ENF_M_CGROUP;
	w->rule->cgroup_at = mark_of(v);
	return get_path(w, v, "a cgroup directory", w->rule->cgroup);
}

static int read_comm(struct walk *w, yaml_node_t *v)
{
	w->rule->r.match |= ITR_ENF_M_COMM;
	return get_str(w, v, "a command name", w->rule->r.comm, ITR_ENF_COMM_LEN);
}

/* the executable, resolved to its identity when the policy is compiled */
static int read_exe(struct walk *w, yaml_node_t *v)
{
	w->rule->r.match |= ITR_ENF_M_EXE;
	w->rule->exe_at = mark_of(v);
	return get_path(w, v, "an executable", w->rule->exe);
}

static const struct key subject_keys[] = {
	{ "cgroup",	read_cgroup },
	{ "comm",	read_comm },
	{ "exe",	read_exe },
	{ "gid",	read_gid },
	{ "uid",	read_uid },
};

/* object: one of node, group, bdf, driver */
#define OBJECT_ONE "expected one object: node, group, bdf or driver"

static int read_node(struct walk *w, yaml_node_t *v)
{
	if (w->rule->r.match & ITR_ENF_M_NODE)
		return fail(w, v, "expected one of node or group, not both");
	if (w->rule->r.match & ITR_ENF_M_DEVICE)
		return fail(w, v, OBJECT_ONE);
	w->rule->r.match |= ITR_ENF_M_NODE;
	w->rule->node_at = mark_of(v);
	return get_path(w, v, "a device node", w->rule->node);
}

static int read_group(struct walk *w, yaml_node_t *v)
{
	__u32 g;

	if (w->rule->r.match & ITR_ENF_M_NODE)
		return fail(w, v, "expected one of node or group, not both");
	if (w->rule->r.match & ITR_ENF_M_DEVICE)
		return fail(w, v, OBJECT_ONE);
	if (get_u32(w, v, "an IOMMU group number", &g))
		return -EINVAL;
	w->rule->r.match |= ITR_ENF_M_NODE;
	w->rule->node_at = mark_of(v);
	snprintf(w->rule->node, sizeof(w->rule->node), "/dev/vfio/%u", g);
	return 0;
}

/* A PCI address as the kernel names a device: DDDD:BB:DD.F, lower-case hex. */
static int pci_address(const char *s)
{
	static const char form[] = "xxxx:xx:xx.x";
	unsigned int dev, fn;
	size_t i;

	if (strlen(s) != sizeof(form) - 1)
		return 0;
	for (i = 0; i < sizeof(form) - 1; i++)
		if (form[i] == 'x' ? !strchr("0123456789abcdef", s[i]) || !s[i] : s[i] != form[i])
			return 0;
	dev = strtoul(s + 8, NULL, 16);
	fn = strtoul(s + 11, NULL, 16);
	return dev <= 0x1f && fn <= 7;
}

static int read_bdf(struct walk *w, yaml_node_t *v)
{
	if (w->rule->r.match & (ITR_ENF_M_NODE | ITR_ENF_M_DEVICE))
		return fail(w, v, OBJECT_ONE);
	w->rule->r.match |= ITR_ENF_M_BDF;
	if (get_str(w, v, "a PCI address", w->rule->r.dev_name, ITR_ENF_DEV_NAME_LEN))
		return -EINVAL;
	if (!pci_address(w->rule->r.dev_name))
		return fail(w, v, "expected a PCI address DDDD:BB:DD.F (lower-case hex, device <= 1f, function <= 7), not '%s'",
			    w->rule->r.dev_name);
	return 0;
}

static int read_driver(struct walk *w, yaml_node_t *v)
{
	if (w->rule->r.match & (ITR_ENF_M_NODE | ITR_ENF_M_DEVICE))
		return fail(w, v, OBJECT_ONE);
	w->rule->r.match |= ITR_ENF_M_DRIVER;
	return get_str(w, v, "a driver name", w->rule->r.driver, ITR_ENF_DRIVER_LEN);
}

static const struct key object_keys[] = {
	{ "bdf",	read_bdf },
	{ "driver",	read_driver },
	{ "group",	read_group },
	{ "node",	read_node },
};

/* limits: iova: allow/forbid: [[lo, hi], ...] */
static int read_ranges(struct walk *w, yaml_node_t *v, struct itr_enf_range *out,
		       unsigned int *n, struct policy_mark *at)
{
	yaml_node_item_t *it;

	*at = mark_of(v);
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(w, v, "expected a list of [first, last] IOVA ranges");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *r = yaml_document_get_node(w->doc, *it);
		yaml_node_item_t *e;

		if (r->type != YAML_SEQUENCE_NODE ||
		    r->data.sequence.items.top - r->data.sequence.items.start != 2)
			return fail(w, r, "expected an IOVA range [first, last]");
		if (*n == ITR_ENF_MAX_RANGES)
			return fail(w, r, "expected at most %d ranges", ITR_ENF_MAX_RANGES);
		e = r->data.sequence.items.start;
		if (get_u64(w, yaml_document_get_node(w->doc, e[0]), "an IOVA (a number)", ~0ULL,
			    &out[*n].lo) ||
		    get_u64(w, yaml_document_get_node(w->doc, e[1]), "an IOVA (a number)", ~0ULL,
			    &out[*n].hi))
			return -EINVAL;
		if (out[*n].hi < out[*n].lo)
			return fail(w, r, "expected first <= last in an IOVA range");
		(*n)++;
	}
	if (!*n)
		return fail(w, v, "expected at least one IOVA range");
	return 0;
}

static int read_allow(struct walk *w, yaml_node_t *v)
{
	return read_ranges(w, v, w->rule->allow, &w->rule->nallow, &w->rule->allow_at);
}

static int read_forbid(struct walk *w, yaml_node_t *v)
{
	return read_ranges(w, v, w->rule->forbid, &w->rule->nforbid, &w->rule->forbid_at);
}

static const struct key iova_keys[] = {
	{ "allow",	read_allow },
	{ "forbid",	read_forbid },
};

static int read_iova(struct walk *w, yaml_node_t *v)
{
	w->rule->r.match |= ITR_ENF_M_IOVA;
	if (walk_map(w, v, "iova", iova_keys, sizeof(iova_keys) / sizeof(iova_keys[0])))
		return -EINVAL;
	if (!w->rule->nallow && !w->rule->nforbid)
		return fail(w, v, "expected allow or forbid in iova");
	return 0;
}

static int read_max_size(struct walk *w, yaml_node_t *v)
{
	w->rule->r.match |= ITR_ENF_M_MAX_SIZE;
	return get_u64(w, v, "a size in bytes", ~0ULL, &w->rule->r.max_size);
}

/* the subject's pinned bytes, through the kernel's memlock accounting */
static int read_max_pinned(struct walk *w, yaml_node_t *v)
{
	w->rule->r.match |= ITR_ENF_M_MAX_PINNED;
	return get_u64(w, v, "a number of pinned bytes", ~0ULL, &w->rule->r.max_pinned);
}

/* an attach (a replace) that would leave another device of the group on a stale HWPT */
static int read_stale_view(struct walk *w, yaml_node_t *v)
{
	if (want_scalar(w, v, "forbid") || strcmp(scalar(v), "forbid"))
		return fail(w, v, "expected stale-hwpt-view: forbid");
	w->rule->r.match |= ITR_ENF_M_STALE_VIEW;
	return 0;
}

static const struct key limits_keys[] = {
	{ "iova",		read_iova },
	{ "max-pinned",		read_max_pinned },
	{ "max-size",		read_max_size },
	{ "stale-hwpt-view",	read_stale_view },
};

/* rule: */
static int read_subject(struct walk *w, yaml_node_t *v)
{
	return walk_map(w, v, "subject", subject_keys, sizeof(subject_keys) / sizeof(subject_keys[0]));
}

static int read_object(struct walk *w, yaml_node_t *v)
{
	return walk_map(w, v, "object", object_keys, sizeof(object_keys) / sizeof(object_keys[0]));
}

static int read_limits(struct walk *w, yaml_node_t *v)
{
	return walk_map(w, v, "limits", limits_keys, sizeof(limits_keys) / sizeof(limits_keys[0]));
}

static int read_op(struct walk *w, yaml_node_t *v)
{
	char list[256] = "";
	int op, i;

	if (v->type == YAML_SCALAR_NODE && (op = policy_op_lookup(scalar(v))) > 0) {
		w->rule->r.ops |= policy_op_bits(op);
		return 0;
	}
	for (i = 1; i < ITR_ENF_OP_MAX; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i > 1 ? ", " : "", policy_op_name(i));
	if (v->type == YAML_SCALAR_NODE)
		return fail(w, v, "expected an operation (%s), not '%s'", list, scalar(v));
	return fail(w, v, "expected an operation (%s)", list);
}

static int read_operations(struct walk *w, yaml_node_t *v)
{
	yaml_node_item_t *it;

	if (v->type != YAML_SEQUENCE_NODE)
		return read_op(w, v);
	if (v->data.sequence.items.top == v->data.sequence.items.start)
		return fail(w, v, "expected at least one operation");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++)
		if (read_op(w, yaml_document_get_node(w->doc, *it)))
			return -EINVAL;
	return 0;
}

static int read_action_into(struct walk *w, yaml_node_t *v, __u32 *out)
{
	int a;

	if (want_scalar(w, v, "an action (allow, audit, deny, kill)"))
		return -EINVAL;
	a = policy_action_lookup(scalar(v));
	if (a < 0)
		return fail(w, v, "expected an action (allow, audit, deny, kill), not '%s'", scalar(v));
	*out = a;
	return 0;
}

static int read_action(struct walk *w, yaml_node_t *v)
{
	return read_action_into(w, v, &w->rule->r.action);
}

static int read_id(struct walk *w, yaml_node_t *v)
{
	unsigned int i;

	if (get_str(w, v, "a rule id", w->rule->name, POLICY_NAME_LEN))
		return -EINVAL;
	for (i = 0; w->p->rules + i < w->rule; i++)
		if (!strcmp(w->p->rules[i].name, w->rule->name))
			return fail(w, v, "expected a unique rule id ('%s' is rule %u's)",
				    w->rule->name, i + 1);
	return 0;
}

static const struct key rule_keys[] = {
	{ "action",	read_action },
	{ "id",		read_id },
	{ "limits",	read_limits },
	{ "object",	read_object },
	{ "operations",	read_operations },
	{ "subject",	read_subject },
};

/* top: */
static int read_version(struct walk *w, yaml_node_t *v)
{
	__u32 ver;

	if (get_u32(w, v, "version 1", &ver))
		return -EINVAL;
	if (ver != 1)
		return fail(w, v, "expected version 1, not %u", ver);
	return 0;
}

static int read_default(struct walk *w, yaml_node_t *v)
{
	return read_action_into(w, v, &w->p->default_action);
}

/*
 * A cap is the subject's (the memlock hooks know no device) and is
 * enforced by refusing (CAP_IPC_LOCK, a raise): deny, or audit to watch.
 */
static int check_max_pinned(struct walk *w, yaml_node_t *r)
{
	const struct itr_enf_rule *k = &w->rule->r;

	if (!(k->match & ITR_ENF_M_MAX_PINNED))
		return 0;
	if (k->match & ITR_ENF_M_NODE)
		return fail(w, r, "expected no object in rule '%s' (max-pinned caps a subject)",
			    w->rule->name);
	if (k->action != ITR_ENF_DENY && k->action != ITR_ENF_AUDIT)
		return fail(w, r, "expected action deny or audit in rule '%s' (max-pinned), not %s",
			    w->rule->name, policy_action_name(k->action));
	return 0;
}

static int read_rules(struct walk *w, yaml_node_t *v)
{
	yaml_node_item_t *it;

	if (v->type != YAML_SEQUENCE_NODE)
		return fail(w, v, "expected a list of rules");
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *r = yaml_document_get_node(w->doc, *it);

		if (w->p->nrules == ITR_ENF_MAX_RULES)
			return fail(w, r, "expected at most %d rules", ITR_ENF_MAX_RULES);
		w->rule = &w->p->rules[w->p->nrules];
		snprintf(w->rule->name, sizeof(w->rule->name), "rule-%u", w->p->nrules + 1);
		w->rule->r.action = ITR_ENF_DENY;
		if (walk_map(w, r, "a rule", rule_keys, sizeof(rule_keys) / sizeof(rule_keys[0])))
			return -EINVAL;
		if (!w->rule->r.ops)
			return fail(w, r, "expected operations in rule '%s'", w->rule->name);
		if ((w->rule->r.match & (ITR_ENF_M_LIMITS | ITR_ENF_M_MAX_PINNED)) &&
		    w->rule->r.ops != 1ULL << ITR_ENF_OP_MAP)
			return fail(w, r, "expected operations: [map] only in rule '%s' (limits judge maps)",
				    w->rule->name);
		if (check_max_pinned(w, r))
			return -EINVAL;
		if ((w->rule->r.match & ITR_ENF_M_DEVICE) && (w->rule->r.ops & ~ITR_ENF_DEVICE_OPS))
			return fail(w, r, "expected operations among open-device, get-device-fd, bind, attach, detach, pasid-attach, replace in rule '%s' (a device object)",
				    w->rule->name);
		if ((w->rule->r.match & ITR_ENF_M_STALE_VIEW) &&
		    w->rule->r.ops != policy_op_bits(ITR_ENF_OP_ATTACH))
			return fail(w, r, "expected operations: [attach] only in rule '%s' (stale-hwpt-view judges attaches)",
				    w->rule->name);
		w->p->nrules++;
	}
	return 0;
}

static const struct key top_keys[] = {
	{ "default",	read_default },
	{ "rules",	read_rules },
	{ "version",	read_version },
};

static int load(yaml_parser_t *parser, const char *path, struct policy *p, struct policy_err *err)
{
	struct walk w = { .file = path, .p = p, .err = err };
	yaml_document_t doc;
	yaml_node_t *root;
	int ret;

	if (!yaml_parser_load(parser, &doc)) {
		snprintf(err->msg, sizeof(err->msg), "%s:%zu:%zu: expected YAML: %s%s%s", path,
			 parser->problem_mark.line + 1, parser->problem_mark.column + 1,
			 parser->problem ? parser->problem : "a syntax error",
			 parser->context ? " " : "", parser->context ? parser->context : "");
		return -EINVAL;
	}
	w.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		snprintf(err->msg, sizeof(err->msg), "%s:1:1: expected a policy (version, default, rules)",
			 path);
		ret = -EINVAL;
	} else {
		ret = walk_map(&w, root, "the policy", top_keys, sizeof(top_keys) / sizeof(top_keys[0]));
		if (!ret && !p->nrules)
			ret = fail(&w, root, "expected rules (a list of at least one rule)");
	}
	yaml_document_delete(&doc);
	return ret;
}

int policy_parse(const char *path, const char *text, struct policy *p, struct policy_err *err)
{
	yaml_parser_t parser;
	FILE *f = NULL;
	int ret;

	memset(p, 0, sizeof(*p));
	err->msg[0] = 0;
	snprintf(p->file, sizeof(p->file), "%s", path);
	p->default_action = ITR_ENF_ALLOW;
	if (!text) {
		f = fopen(path, "r");
		if (!f) {
			ret = -errno;
			snprintf(err->msg, sizeof(err->msg), "%s: cannot open: %s", path, strerror(-ret));
			return ret;
		}
	}
	if (!yaml_parser_initialize(&parser)) {
		if (f)
			fclose(f);
		snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
		return -ENOMEM;
	}
	if (f)
		yaml_parser_set_input_file(&parser, f);
	else
		yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
	ret = load(&parser, path, p, err);
	yaml_parser_delete(&parser);
	if (f)
		fclose(f);
	if (ret)
		memset(p->rules, 0, sizeof(p->rules)), p->nrules = 0;
	return ret;
}
