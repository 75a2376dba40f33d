/* PLACEHOLDER: replaced by the route work. */
#include "tool.h"
int cmd_add_route(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("add-route: not built yet");
}
int cmd_remove_route(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("remove-route: not built yet");
}
int cmd_list_route(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("list-route: not built yet");
}
