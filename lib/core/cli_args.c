#include "core/cli_args.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* A growable array of owned strings. */
struct strlist {
	char **items;
	size_t len;
	size_t cap;
};

struct cli_slot {
	bool set;
	bool bval;
	struct strlist values; /* CLI_STRING and CLI_LIST values, in order */
};

struct cli_values {
	size_t nopts;
	struct cli_slot *slots;
	struct strlist positional;
};

/* State shared by the parsing helpers for one cli_parse() call. */
struct cli_parser {
	const struct cli_option *opts;
	size_t nopts;
	int argc;
	char **argv;
	int next; /* index of the next unread argv element */
	struct cli_values *v;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct cli_parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err != NULL && p->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int strlist_push(struct strlist *l, const char *s)
{
	char *copy;

	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		char **items = realloc(l->items, cap * sizeof(*items));

		if (items == NULL)
			return -1;
		l->items = items;
		l->cap = cap;
	}
	copy = strdup(s);
	if (copy == NULL)
		return -1;
	l->items[l->len++] = copy;
	return 0;
}

static void strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->len; i++)
		free(l->items[i]);
	free(l->items);
}

static int find_long(const struct cli_parser *p, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < p->nopts; i++) {
		const char *ln = p->opts[i].long_name;

		if (ln != NULL && strlen(ln) == len && strncmp(ln, name, len) == 0)
			return (int)i;
	}
	return -1;
}

static int find_short(const struct cli_parser *p, char c)
{
	size_t i;

	for (i = 0; i < p->nopts; i++) {
		if (p->opts[i].short_name == c)
			return (int)i;
	}
	return -1;
}

/* value is NULL for a bare flag; as_short says how the user wrote it, for the error. */
static int set_bool(struct cli_parser *p, int idx, const char *value, bool as_short)
{
	const struct cli_option *o = &p->opts[idx];
	struct cli_slot *slot = &p->v->slots[idx];

	if (value == NULL || strcmp(value, "true") == 0) {
		slot->bval = true;
	} else if (strcmp(value, "false") == 0) {
		slot->bval = false;
	} else if (as_short) {
		return fail(p, "invalid value \"%s\" for flag -%c: expected true or false", value,
		            o->short_name);
	} else {
		return fail(p, "invalid value \"%s\" for flag --%s: expected true or false", value,
		            o->long_name);
	}
	slot->set = true;
	return 0;
}

static int add_value(struct cli_parser *p, int idx, const char *value)
{
	struct cli_slot *slot = &p->v->slots[idx];

	if (strlist_push(&slot->values, value) != 0)
		return fail(p, "out of memory");
	slot->set = true;
	return 0;
}

/* The next argv element as a flag's value, whatever it looks like; NULL if there is none. */
static const char *take_next_arg(struct cli_parser *p)
{
	if (p->next >= p->argc)
		return NULL;
	return p->argv[p->next++];
}

/* "--name", "--name=value" or "--name value". */
static int parse_long(struct cli_parser *p, const char *arg)
{
	const char *name = arg + 2;
	const char *eq = strchr(name, '=');
	size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
	const char *value;
	int idx;

	if (len == 0 || name[0] == '-')
		return fail(p, "bad flag syntax: %s", arg);
	idx = find_long(p, name, len);
	if (idx < 0)
		return fail(p, "unknown flag: --%.*s", (int)len, name);
	if (p->opts[idx].kind == CLI_BOOL)
		return set_bool(p, idx, eq != NULL ? eq + 1 : NULL, false);
	value = eq != NULL ? eq + 1 : take_next_arg(p);
	if (value == NULL)
		return fail(p, "flag needs an argument: --%s", p->opts[idx].long_name);
	return add_value(p, idx, value);
}

/* The value of the short flag at arg[pos]: rest of the token ("-uroot", "-u=root") or else the
 * next argument. */
static int short_value(struct cli_parser *p, int idx, const char *arg, size_t pos)
{
	const char *value = arg + pos + 1;

	if (*value == '=')
		value++;
	else if (*value == '\0')
		value = take_next_arg(p);
	if (value == NULL)
		return fail(p, "flag needs an argument: -%c", arg[pos]);
	return add_value(p, idx, value);
}

/* "-d", "-tid", "-uroot", "-du root", "-du=root", "-d=false". */
static int parse_short_group(struct cli_parser *p, const char *arg)
{
	size_t pos;

	for (pos = 1; arg[pos] != '\0'; pos++) {
		int idx = find_short(p, arg[pos]);

		if (idx < 0)
			return fail(p, "unknown shorthand flag: '%c' in %s", arg[pos], arg);
		if (p->opts[idx].kind != CLI_BOOL)
			return short_value(p, idx, arg, pos);
		if (arg[pos + 1] == '=')
			return set_bool(p, idx, arg + pos + 2, true);
		if (set_bool(p, idx, NULL, true) != 0)
			return -1;
	}
	return 0;
}

static struct cli_values *cli_values_new(size_t nopts)
{
	struct cli_values *v = calloc(1, sizeof(*v));

	if (v == NULL)
		return NULL;
	v->nopts = nopts;
	v->slots = calloc(nopts ? nopts : 1, sizeof(*v->slots));
	if (v->slots == NULL) {
		free(v);
		return NULL;
	}
	return v;
}

/* Flags start with '-'; a lone "-" (stdin by convention) is positional. */
static bool looks_like_flag(const char *arg)
{
	return arg[0] == '-' && arg[1] != '\0';
}

static int parse_all(struct cli_parser *p, bool stop_at_positional)
{
	bool flags_done = false;

	while (p->next < p->argc) {
		const char *arg = p->argv[p->next++];
		int rc;

		if (flags_done || !looks_like_flag(arg)) {
			if (strlist_push(&p->v->positional, arg) != 0)
				return fail(p, "out of memory");
			flags_done = flags_done || stop_at_positional;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			flags_done = true;
			continue;
		}
		rc = arg[1] == '-' ? parse_long(p, arg) : parse_short_group(p, arg);
		if (rc != 0)
			return -1;
	}
	return 0;
}

struct cli_values *cli_parse(const struct cli_option *opts, size_t nopts, int argc, char **argv,
                             bool stop_at_positional, char *err, size_t errlen)
{
	struct cli_parser p = {
	    .opts = opts,
	    .nopts = opts != NULL ? nopts : 0,
	    .argc = argv != NULL && argc > 0 ? argc : 0,
	    .argv = argv,
	    .err = err,
	    .errlen = errlen,
	};

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	p.v = cli_values_new(p.nopts);
	if (p.v == NULL) {
		fail(&p, "out of memory");
		return NULL;
	}
	if (parse_all(&p, stop_at_positional) != 0) {
		cli_values_free(p.v);
		return NULL;
	}
	return p.v;
}

static const struct cli_slot *slot_at(const struct cli_values *v, size_t idx)
{
	return (v != NULL && idx < v->nopts) ? &v->slots[idx] : NULL;
}

bool cli_is_set(const struct cli_values *v, size_t idx)
{
	const struct cli_slot *s = slot_at(v, idx);

	return s != NULL && s->set;
}

bool cli_bool(const struct cli_values *v, size_t idx)
{
	const struct cli_slot *s = slot_at(v, idx);

	return s != NULL && s->bval;
}

const char *cli_string(const struct cli_values *v, size_t idx)
{
	const struct cli_slot *s = slot_at(v, idx);

	if (s == NULL || s->values.len == 0)
		return NULL;
	return s->values.items[s->values.len - 1];
}

size_t cli_list_len(const struct cli_values *v, size_t idx)
{
	const struct cli_slot *s = slot_at(v, idx);

	return s != NULL ? s->values.len : 0;
}

const char *cli_list_at(const struct cli_values *v, size_t idx, size_t i)
{
	const struct cli_slot *s = slot_at(v, idx);

	if (s == NULL || i >= s->values.len)
		return NULL;
	return s->values.items[i];
}

size_t cli_npositional(const struct cli_values *v)
{
	return v != NULL ? v->positional.len : 0;
}

const char *cli_positional(const struct cli_values *v, size_t i)
{
	if (v == NULL || i >= v->positional.len)
		return NULL;
	return v->positional.items[i];
}

void cli_values_free(struct cli_values *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nopts; i++)
		strlist_free(&v->slots[i].values);
	free(v->slots);
	strlist_free(&v->positional);
	free(v);
}

/* "-d, --detach", "    --name NAME", "-x VALUE" into buf; returns the length written. */
static size_t format_option_spec(const struct cli_option *o, char *buf, size_t len)
{
	const char *metavar = o->metavar;
	size_t n = 0;

	if (metavar == NULL)
		metavar = o->kind == CLI_LIST ? "list" : "string";
	if (o->short_name != 0 && o->long_name != NULL)
		n = (size_t)snprintf(buf, len, "-%c, --%s", o->short_name, o->long_name);
	else if (o->long_name != NULL)
		n = (size_t)snprintf(buf, len, "    --%s", o->long_name);
	else
		n = (size_t)snprintf(buf, len, "-%c", o->short_name);
	if (n < len && o->kind != CLI_BOOL)
		n += (size_t)snprintf(buf + n, len - n, " %s", metavar);
	return n < len ? n : len - 1;
}

static bool option_has_name(const struct cli_option *o)
{
	return o->long_name != NULL || o->short_name != 0;
}

void cli_print_help(FILE *out, const char *usage, const struct cli_option *opts, size_t nopts)
{
	char spec[256];
	size_t width = 0;
	size_t i;

	if (out == NULL)
		return;
	if (usage != NULL)
		fprintf(out, "Usage:  %s\n", usage);
	if (opts == NULL || nopts == 0)
		return;
	for (i = 0; i < nopts; i++) {
		size_t n = option_has_name(&opts[i])
		               ? format_option_spec(&opts[i], spec, sizeof(spec))
		               : 0;

		width = n > width ? n : width;
	}
	fprintf(out, "%sOptions:\n", usage != NULL ? "\n" : "");
	for (i = 0; i < nopts; i++) {
		if (!option_has_name(&opts[i]))
			continue;
		format_option_spec(&opts[i], spec, sizeof(spec));
		if (opts[i].help == NULL || opts[i].help[0] == '\0')
			fprintf(out, "  %s\n", spec);
		else
			fprintf(out, "  %-*s   %s\n", (int)width, spec, opts[i].help);
	}
}
