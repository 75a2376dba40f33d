#include "inspect_template.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/hex.h"
#include "core/json_text.h"
#include "core/strbuf.h"
#include "core/units.h"
#include "inspect_print.h"

/* Words in one command (function name included); far more than any real inspect format. */
#define MAX_CMD_WORDS 16
/* How much of an action an error message quotes. */
#define PREVIEW_MAX 40

enum tok_kind { TOK_FIELD, TOK_IDENT, TOK_STRING, TOK_RAW_STRING, TOK_NUMBER, TOK_PIPE, TOK_END };

struct token {
	enum tok_kind kind;
	const char *text;
	size_t len;
};

/* A pipeline value: a tree node (NULL when missing), a string we own, or an integer. */
enum tval_kind { TV_NODE, TV_STRING, TV_INT };

struct tval {
	enum tval_kind kind;
	yajl_val node;
	char *str;
	int64_t num;
};

enum template_func { FN_JSON, FN_INDEX };

struct render {
	yajl_val root;
	bool check_only;    /* syntax pass: evaluate nothing that depends on the data */
	const char *action; /* the "{{" of the action being processed, for messages */
	struct strbuf out;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3))) static int fail(struct render *r, const char *fmt, ...)
{
	static const char prefix[] = "template: ";
	va_list ap;

	if (r->err == NULL || r->errlen <= sizeof(prefix))
		return -1;
	memcpy(r->err, prefix, sizeof(prefix));
	va_start(ap, fmt);
	vsnprintf(r->err + sizeof(prefix) - 1, r->errlen - sizeof(prefix) + 1, fmt, ap);
	va_end(ap);
	return -1;
}

/* Length of the current action's text to quote in messages: up to its "}}", capped. */
static int action_preview_len(const struct render *r)
{
	const char *end = strstr(r->action + 2, "}}");
	size_t n = end != NULL ? (size_t)(end + 2 - r->action) : strlen(r->action);

	return (int)(n > PREVIEW_MAX ? PREVIEW_MAX : n);
}

/* What an action prints: text/template shows a missing or null value as <no value>. */
static void put_value(struct strbuf *b, const struct tval *v)
{
	char tmp[32];

	if (v->kind == TV_STRING) {
		strbuf_puts(b, v->str);
	} else if (v->kind == TV_INT) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)v->num);
		strbuf_puts(b, tmp);
	} else if (v->node == NULL || v->node->type == yajl_t_null) {
		strbuf_puts(b, "<no value>");
	} else {
		inspect_print_plain(b, v->node);
	}
}

static void tval_free(struct tval *v)
{
	free(v->str);
	v->str = NULL;
}

/* Go's type names for decoded JSON, so messages read like Docker's. */
static const char *node_type_name(yajl_val v)
{
	if (v == NULL || v->type == yajl_t_null)
		return "nil";
	switch (v->type) {
	case yajl_t_string:
		return "string";
	case yajl_t_number:
		return "float64";
	case yajl_t_object:
		return "map[string]interface {}";
	case yajl_t_array:
		return "[]interface {}";
	default:
		return "bool";
	}
}

static const char *tval_type_name(const struct tval *v)
{
	if (v->kind == TV_STRING)
		return "string";
	if (v->kind == TV_INT)
		return "int";
	return node_type_name(v->node);
}

/* ---- lexing ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Identifier characters; bytes >= 0x80 let UTF-8 letters through, as Go allows. */
static bool is_ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

static size_t ident_len(const char *s)
{
	size_t n = 0;

	while (is_ident_char(s[n]))
		n++;
	return n;
}

static const char *skip_space(const char *p)
{
	while (is_space(*p))
		p++;
	return p;
}

/* "." or ".A.B.C" */
static int lex_field(struct render *r, const char *s, struct token *t)
{
	const char *p = s + 1 + ident_len(s + 1);

	if (p == s + 1 && *p == '.') /* ".." */
		return fail(r, "bad field syntax in \"%.*s\"", action_preview_len(r), r->action);
	while (*p == '.') {
		size_t n = ident_len(p + 1);

		if (n == 0)
			return fail(r, "bad field syntax in \"%.*s\"", action_preview_len(r),
			            r->action);
		p += 1 + n;
	}
	*t = (struct token){TOK_FIELD, s, (size_t)(p - s)};
	return 0;
}

/* "..." (backslash escapes, one line) or `...` (raw, any lines). */
static int lex_string(struct render *r, const char *s, struct token *t)
{
	const char *p = s + 1;

	if (*s == '`') {
		while (*p != '\0' && *p != '`')
			p++;
		if (*p != '`')
			return fail(r, "unterminated raw quoted string in \"%.*s\"",
			            action_preview_len(r), r->action);
		*t = (struct token){TOK_RAW_STRING, s, (size_t)(p + 1 - s)};
		return 0;
	}
	while (*p != '\0' && *p != '"' && *p != '\n')
		p += (p[0] == '\\' && p[1] != '\0') ? 2 : 1;
	if (*p != '"')
		return fail(r, "unterminated quoted string in \"%.*s\"", action_preview_len(r),
		            r->action);
	*t = (struct token){TOK_STRING, s, (size_t)(p + 1 - s)};
	return 0;
}

/* Decimal integers only: index positions are all a template here needs. */
static int lex_number(struct render *r, const char *s, struct token *t)
{
	const char *p = s + (*s == '-');

	while (isdigit((unsigned char)*p))
		p++;
	if (is_ident_char(*p) || *p == '.')
		return fail(r, "bad number syntax in \"%.*s\"", action_preview_len(r), r->action);
	*t = (struct token){TOK_NUMBER, s, (size_t)(p - s)};
	return 0;
}

static int lex_operand(struct render *r, const char *p, struct token *t)
{
	if (*p == '.')
		return lex_field(r, p, t);
	if (*p == '"' || *p == '`')
		return lex_string(r, p, t);
	if (isdigit((unsigned char)*p) || (*p == '-' && isdigit((unsigned char)p[1])))
		return lex_number(r, p, t);
	if (isalpha((unsigned char)*p) || *p == '_') {
		*t = (struct token){TOK_IDENT, p, ident_len(p)};
		return 0;
	}
	return fail(r, "unexpected \"%c\" in \"%.*s\"", *p, action_preview_len(r), r->action);
}

/* Reads the next token of the action at *pp and advances past it; "}}" gives TOK_END. */
static int next_token(struct render *r, const char **pp, struct token *t)
{
	const char *p = skip_space(*pp);
	char after;

	if (*p == '\0')
		return fail(r, "unclosed action \"%.*s\"", action_preview_len(r), r->action);
	if (p[0] == '}' && p[1] == '}') {
		*t = (struct token){TOK_END, p, 2};
	} else if (*p == '|') {
		*t = (struct token){TOK_PIPE, p, 1};
	} else {
		if (lex_operand(r, p, t) != 0)
			return -1;
		/* Operands must be separated, as in Go: reject `.A"x"` or `index(.A)`. */
		after = p[t->len];
		if (after != '\0' && !is_space(after) && after != '|' && after != '}')
			return fail(r, "unexpected \"%c\" after \"%.*s\"", after, (int)t->len,
			            t->text);
	}
	*pp = p + t->len;
	return 0;
}

/* ---- evaluation ---- */

/* Reads n hex digits at s; -1 if any is not a hex digit. */
static long read_hex(const char *s, int n)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		int d = hex_digit(s[i]);

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* One escape after a backslash at s[0]; returns how many source bytes it used, or -1. */
static int decode_escape(const char *s, struct strbuf *b)
{
	static const char simple_from[] = "abfnrtv\\\"";
	static const char simple_to[] = "\a\b\f\n\r\t\v\\\"";
	const char *simple = s[1] != '\0' ? strchr(simple_from, s[1]) : NULL;
	long v;

	if (simple != NULL) {
		strbuf_putc(b, simple_to[simple - simple_from]);
		return 2;
	}
	if (s[1] == 'x' && (v = read_hex(s + 2, 2)) >= 0) {
		strbuf_putc(b, (char)v);
		return 4;
	}
	if (s[1] == 'u' && (v = read_hex(s + 2, 4)) >= 0 && (v < 0xd800 || v > 0xdfff)) {
		json_text_put_utf8(b, (unsigned)v);
		return 6;
	}
	return -1;
}

/* The value of a string literal token, malloc'd into *out. */
static int decode_string(struct render *r, const struct token *t, char **out)
{
	struct strbuf b = {0};
	const char *p = t->text + 1;
	const char *end = t->text + t->len - 1;

	if (t->kind == TOK_RAW_STRING)
		strbuf_add(&b, p, (size_t)(end - p));
	while (t->kind == TOK_STRING && p < end) {
		int used = *p == '\\' ? decode_escape(p, &b) : 1;

		if (used < 0) {
			strbuf_free(&b);
			return fail(r, "invalid escape in %.*s", (int)t->len, t->text);
		}
		if (*p != '\\')
			strbuf_putc(&b, *p);
		p += used;
	}
	*out = strbuf_take(&b);
	return *out != NULL ? 0 : fail(r, "out of memory");
}

static yajl_val object_get(yajl_val obj, const char *name, size_t len)
{
	yajl_val found = NULL;
	size_t i;

	/* The last duplicate wins, as when Go decodes into a map. */
	for (i = 0; i < obj->u.object.len; i++) {
		const char *key = obj->u.object.keys[i];

		if (strncmp(key, name, len) == 0 && key[len] == '\0')
			found = obj->u.object.values[i];
	}
	/* iSulad's spellings of Docker's fields (CPUShares for CpuShares, ...): a key that is
	 * not there exactly is looked up again without regard to case. */
	for (i = 0; !found && i < obj->u.object.len; i++) {
		const char *key = obj->u.object.keys[i];

		if (strncasecmp(key, name, len) == 0 && key[len] == '\0')
			found = obj->u.object.values[i];
	}
	return found;
}

/* Walks ".A.B.C" from the root: a missing key yields NULL (printed as <no value>), as Go does
 * for map[string]interface{}; stepping into null or a non-object is an error. */
static int eval_field(struct render *r, const struct token *t, yajl_val *out)
{
	const char *p = t->text + 1;
	const char *end = t->text + t->len;
	yajl_val cur = r->root;

	while (p < end && cur != NULL) {
		size_t n = ident_len(p);

		if (cur->type == yajl_t_null)
			return fail(r,
			            "executing at <%.*s>: nil pointer evaluating interface {}.%.*s",
			            (int)t->len, t->text, (int)n, p);
		if (cur->type != yajl_t_object)
			return fail(r, "executing at <%.*s>: can't evaluate field %.*s in type %s",
			            (int)t->len, t->text, (int)n, p, node_type_name(cur));
		cur = object_get(cur, p, n);
		p += n + 1;
	}
	*out = cur;
	return 0;
}

static bool token_is(const struct token *t, const char *word)
{
	return strlen(word) == t->len && strncmp(t->text, word, t->len) == 0;
}

static int lookup_function(struct render *r, const struct token *t, enum template_func *fn)
{
	static const char *const unsupported[] = {
	    "if",    "else",  "end",      "range", "with", "define", "template",
	    "block", "break", "continue", "nil",   "true", "false"};
	size_t i;

	if (token_is(t, "json")) {
		*fn = FN_JSON;
		return 0;
	}
	if (token_is(t, "index")) {
		*fn = FN_INDEX;
		return 0;
	}
	for (i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		if (token_is(t, unsupported[i]))
			return fail(r, "\"%s\" is not supported", unsupported[i]);
	}
	return fail(r, "function \"%.*s\" not defined", (int)t->len, t->text);
}

/* The source text of a command, for "executing at <...>" messages. */
struct span {
	const char *text;
	int len;
};

static int call_json(struct render *r, struct span at, const struct tval *args, size_t nargs,
                     struct tval *out)
{
	struct strbuf b = {0};
	char tmp[32];

	if (nargs != 1)
		return fail(r, "executing at <%.*s>: wrong number of args for json: want 1 got %zu",
		            at.len, at.text, nargs);
	if (args[0].kind == TV_STRING) {
		inspect_print_json_string(&b, args[0].str);
	} else if (args[0].kind == TV_INT) {
		snprintf(tmp, sizeof(tmp), "%lld", (long long)args[0].num);
		strbuf_puts(&b, tmp);
	} else {
		inspect_print_json(&b, args[0].node);
	}
	*out = (struct tval){.kind = TV_STRING, .str = strbuf_take(&b)};
	return out->str != NULL ? 0 : fail(r, "out of memory");
}

/* One step of index: item[key] for an object (string key) or array (integer key). */
static int index_step(struct render *r, struct span at, yajl_val item, const struct tval *key,
                      yajl_val *out)
{
	bool key_is_string = key->kind == TV_STRING || YAJL_IS_STRING(key->node);
	bool key_is_int = key->kind == TV_INT || YAJL_IS_INTEGER(key->node);

	if (item == NULL || item->type == yajl_t_null)
		return fail(r, "executing at <%.*s>: error calling index: index of untyped nil",
		            at.len, at.text);
	if (item->type == yajl_t_object) {
		const char *k = key->kind == TV_STRING ? key->str : YAJL_GET_STRING(key->node);

		if (!key_is_string)
			return fail(r,
			            "executing at <%.*s>: error calling index: value has type %s; "
			            "should be string",
			            at.len, at.text, tval_type_name(key));
		*out = object_get(item, k, strlen(k));
		return 0;
	}
	if (item->type == yajl_t_array) {
		int64_t i = key->kind == TV_INT ? key->num : 0;

		if (!key_is_int)
			return fail(r,
			            "executing at <%.*s>: error calling index: cannot index "
			            "slice/array with type %s",
			            at.len, at.text, tval_type_name(key));
		if (key->kind != TV_INT)
			i = YAJL_GET_INTEGER(key->node);
		if (i < 0 || (uint64_t)i >= item->u.array.len)
			return fail(r,
			            "executing at <%.*s>: error calling index: index out of range: "
			            "%lld",
			            at.len, at.text, (long long)i);
		*out = item->u.array.values[i];
		return 0;
	}
	return fail(r, "executing at <%.*s>: error calling index: can't index item of type %s",
	            at.len, at.text, node_type_name(item));
}

static int call_index(struct render *r, struct span at, const struct tval *args, size_t nargs,
                      struct tval *out)
{
	yajl_val item;
	size_t i;

	if (nargs < 1)
		return fail(r,
		            "executing at <%.*s>: wrong number of args for index: want at least 1 "
		            "got 0",
		            at.len, at.text);
	if (args[0].kind != TV_NODE)
		return fail(r,
		            "executing at <%.*s>: error calling index: can't index item of type %s",
		            at.len, at.text, tval_type_name(&args[0]));
	item = args[0].node;
	for (i = 1; i < nargs; i++) {
		if (index_step(r, at, item, &args[i], &item) != 0)
			return -1;
	}
	*out = (struct tval){.kind = TV_NODE, .node = item};
	return 0;
}

static int eval_command(struct render *r, const struct token *words, size_t n,
                        const struct tval *piped, struct tval *out);

static int eval_operand(struct render *r, const struct token *t, struct tval *out)
{
	*out = (struct tval){.kind = TV_NODE};
	switch (t->kind) {
	case TOK_FIELD:
		return r->check_only ? 0 : eval_field(r, t, &out->node);
	case TOK_STRING:
	case TOK_RAW_STRING:
		out->kind = TV_STRING;
		return decode_string(r, t, &out->str);
	case TOK_NUMBER: {
		char tmp[32];

		out->kind = TV_INT;
		snprintf(tmp, sizeof(tmp), "%.*s", (int)t->len, t->text);
		if (t->len >= sizeof(tmp) || parse_int64(tmp, &out->num) != 0)
			return fail(r, "number out of range: %.*s", (int)t->len, t->text);
		return 0;
	}
	default: /* an identifier alone is a call without arguments, as in Go */
		return eval_command(r, t, 1, NULL, out);
	}
}

static int call_function(struct render *r, enum template_func fn, struct span at,
                         const struct tval *args, size_t nargs, struct tval *out)
{
	if (r->check_only) {
		*out = (struct tval){.kind = TV_NODE};
		return 0;
	}
	if (fn == FN_JSON)
		return call_json(r, at, args, nargs, out);
	return call_index(r, at, args, nargs, out);
}

/* words[0] is a function name or a lone operand; piped (may be NULL) is the value from the
 * previous command, passed as the final argument. */
static int eval_command(struct render *r, const struct token *words, size_t n,
                        const struct tval *piped, struct tval *out)
{
	struct tval args[MAX_CMD_WORDS];
	struct span at = {words[0].text,
	                  (int)(words[n - 1].text + words[n - 1].len - words[0].text)};
	enum template_func fn;
	size_t nargs = 0;
	size_t i;
	int rc = 0;

	if (words[0].kind != TOK_IDENT) {
		if (n > 1 || piped != NULL)
			return fail(r, "can't give argument to non-function %.*s",
			            (int)words[0].len, words[0].text);
		return eval_operand(r, &words[0], out);
	}
	if (lookup_function(r, &words[0], &fn) != 0)
		return -1;
	for (i = 1; i < n && rc == 0; i++) {
		rc = eval_operand(r, &words[i], &args[nargs]);
		nargs++;
	}
	if (rc == 0 && piped != NULL)
		args[nargs] = *piped; /* borrowed: not freed below */
	if (rc == 0)
		rc = call_function(r, fn, at, args, nargs + (piped != NULL), out);
	for (i = 0; i < nargs; i++)
		tval_free(&args[i]);
	return rc;
}

/* Evaluates "cmd | cmd | ..." up to and including "}}" into *result. */
static int run_pipeline(struct render *r, const char **pp, struct tval *result)
{
	struct token words[MAX_CMD_WORDS];
	struct tval value = {.kind = TV_NODE};
	bool have_value = false;
	size_t n = 0;
	struct token t;

	do {
		if (next_token(r, pp, &t) != 0)
			goto fail;
		if (t.kind == TOK_FIELD || t.kind == TOK_IDENT || t.kind == TOK_STRING ||
		    t.kind == TOK_RAW_STRING || t.kind == TOK_NUMBER) {
			if (n == MAX_CMD_WORDS) {
				fail(r, "too many arguments in \"%.*s\"", action_preview_len(r),
				     r->action);
				goto fail;
			}
			words[n++] = t;
			continue;
		}
		if (n == 0) {
			fail(r, "missing command in \"%.*s\"", action_preview_len(r), r->action);
			goto fail;
		}
		{
			struct tval next;

			if (eval_command(r, words, n, have_value ? &value : NULL, &next) != 0)
				goto fail;
			tval_free(&value);
			value = next;
			have_value = true;
			n = 0;
		}
	} while (t.kind != TOK_END);
	*result = value;
	return 0;
fail:
	tval_free(&value);
	return -1;
}

/* *pp is just past "{{": a comment must close with "}}" right after it, as in Go. */
static int skip_comment(struct render *r, const char **pp)
{
	const char *close = strstr(*pp, "*/");

	if (close == NULL)
		return fail(r, "unclosed comment \"%.*s\"", action_preview_len(r), r->action);
	close = skip_space(close + 2);
	if (close[0] != '}' || close[1] != '}')
		return fail(r, "comment ends before closing delimiter in \"%.*s\"",
		            action_preview_len(r), r->action);
	*pp = close + 2;
	return 0;
}

static int run_action(struct render *r, const char **pp)
{
	struct tval value;

	if (strncmp(skip_space(*pp), "/*", 2) == 0) {
		*pp = skip_space(*pp) + 2;
		return skip_comment(r, pp);
	}
	/* Without any "}}" ahead, whatever the action holds, it is unclosed. */
	if (strstr(*pp, "}}") == NULL)
		return fail(r, "unclosed action \"%.*s\"", action_preview_len(r), r->action);
	if (run_pipeline(r, pp, &value) != 0)
		return -1;
	if (!r->check_only)
		put_value(&r->out, &value);
	tval_free(&value);
	return 0;
}

static int render_pass(struct render *r, const char *tmpl)
{
	const char *p = tmpl;

	while (*p != '\0') {
		const char *open = strstr(p, "{{");
		size_t n = open != NULL ? (size_t)(open - p) : strlen(p);

		if (!r->check_only)
			strbuf_add(&r->out, p, n);
		if (open == NULL)
			break;
		r->action = open;
		p = open + 2;
		if (run_action(r, &p) != 0)
			return -1;
	}
	if (r->out.failed)
		return fail(r, "out of memory");
	return 0;
}

char *inspect_template_render(const char *tmpl, yajl_val root, char *err, size_t errlen)
{
	struct render r = {.root = root, .err = err, .errlen = errlen};

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (tmpl == NULL) {
		fail(&r, "no template given");
		return NULL;
	}
	/* Check the syntax of the whole template first, so a typo late in it is reported even
	 * when an earlier action would fail on the data. */
	r.check_only = true;
	if (render_pass(&r, tmpl) != 0)
		return NULL;
	r.check_only = false;
	if (render_pass(&r, tmpl) != 0) {
		strbuf_free(&r.out);
		return NULL;
	}
	char *text = strbuf_take(&r.out); /* "" for an empty result */
	if (text == NULL)
		fail(&r, "out of memory");
	return text;
}
