/* PLACEHOLDER: replaced by the device work. */
#include "tool.h"
int cmd_add_device(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("add-device: not built yet");
}
int cmd_remove_device(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("remove-device: not built yet");
}
int cmd_list_device(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("list-device: not built yet");
}
int cmd_update_device(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("update-device: not built yet");
}
