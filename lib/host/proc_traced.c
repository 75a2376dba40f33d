#include "host/proc_traced.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool proc_traced(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	char line[256];
	bool traced = false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "TracerPid:", 10) == 0) {
			traced = strtol(line + 10, NULL, 10) > 0;
			break;
		}
	}
	fclose(f);
	return traced;
}
