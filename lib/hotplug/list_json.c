/* The list-* commands' JSON (see list_json.h). */
#include "hotplug/list_json.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"

yajl_gen hp_list_begin(bool pretty)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return NULL;
	if (pretty) {
		yajl_gen_config(g, yajl_gen_beautify, 1);
		yajl_gen_config(g, yajl_gen_indent_string, "\t");
	}
	yajl_gen_array_open(g);
	return g;
}

char *hp_list_end(yajl_gen g, size_t shown)
{
	yajl_gen_array_close(g);
	size_t len = 0;
	char *text = jg_finish(g, &len);
	if (!text || shown == 0) {
		if (text)
			text[0] = '\0';
		return text;
	}
	if (len && text[len - 1] == '\n') /* yajl's beautified text ends with one */
		return text;
	char *line = realloc(text, len + 2);
	if (!line) {
		free(text);
		return NULL;
	}
	line[len] = '\n';
	line[len + 1] = '\0';
	return line;
}
