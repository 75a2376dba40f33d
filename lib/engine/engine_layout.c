#include "engine/engine_layout.h"

#include "core/fileutil.h"

char *engine_lcr_dir(const char *graph)
{
	return path_join(graph, "engines/lcr");
}
