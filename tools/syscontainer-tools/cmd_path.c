/* PLACEHOLDER: replaced by the path work. */
#include "tool.h"
int cmd_add_path(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("add-path: not built yet");
}
int cmd_remove_path(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("remove-path: not built yet");
}
int cmd_list_path(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("list-path: not built yet");
}
