/* Fuzzes `isula inspect -f`'s template engine (engine/client/inspect_template.c) and the event
 * line `isula events` prints (event_line.c): the input is a template, then after a NUL byte
 * the JSON document it is rendered against (a fixed inspect document when there is none),
 * which is also formatted as an event. Invariants: a render gives output or an error starting
 * "template: ", never both or neither; rendering twice gives the same text; an event line
 * starts with its time; nothing leaks (ASan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "engine/client/event_line.h"
#include "engine/client/inspect_template.h"

static const char g_doc[] =
    "{\"Id\":\"4a7e0f3c1b2d\",\"Name\":\"/web\",\"Created\":\"2024-01-02T03:04:05.1Z\","
    "\"State\":{\"Status\":\"running\",\"Running\":true,\"Pid\":4242,\"ExitCode\":0,"
    "\"Health\":null},\"Config\":{\"Env\":[\"PATH=/usr/bin\",\"A=1\"],\"Cmd\":[\"sh\"],"
    "\"Labels\":{\"b\":\"2\",\"a\":\"1\"},\"StopTimeout\":10.5},\"HostConfig\":{\"Memory\":"
    "1073741824,\"Binds\":[\"/a:/b:ro\"]},\"Ratio\":1e21,\"Neg\":-12,\"Ctl\":\"\\u0001\\t\"}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 16 * 1024)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	size_t tlen = strlen(text);
	const char *doc = tlen < size ? text + tlen + 1 : g_doc;
	yajl_val root = json_parse(doc, NULL, 0);
	if (root) {
		char err[512] = "", err2[512] = "";
		char *out = inspect_template_render(text, root, err, sizeof(err));
		if (!out == !err[0] || (!out && strncmp(err, "template: ", 10) != 0))
			abort();
		char *again = inspect_template_render(text, root, err2, sizeof(err2));
		if (!out != !again || (out && strcmp(out, again) != 0) || strcmp(err, err2) != 0)
			abort();
		free(out);
		free(again);
		char *line = event_format_line(root);
		if (YAJL_IS_OBJECT(root) && line && strlen(line) < 20)
			abort();
		free(line);
		yajl_tree_free(root);
	}
	free(text);
	return 0;
}
