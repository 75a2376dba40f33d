/* PLACEHOLDER: replaced by the nic work. */
#include "tool.h"
int cmd_add_nic(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("add-nic: not built yet");
}
int cmd_remove_nic(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("remove-nic: not built yet");
}
int cmd_list_nic(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("list-nic: not built yet");
}
int cmd_update_nic(const struct tool *tool, int argc, char **argv)
{
	return tool_fail("update-nic: not built yet");
}
