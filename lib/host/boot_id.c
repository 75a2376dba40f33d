#include "host/boot_id.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/fileutil.h"

#define BOOT_ID_FILE "/proc/sys/kernel/random/boot_id"

int boot_id_parse(const char *text, char out[BOOT_ID_LEN + 1])
{
	if (!text)
		return -1;
	for (int i = 0; i < BOOT_ID_LEN; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		unsigned char ch = (unsigned char)text[i];
		if (dash ? ch != '-' : !isxdigit(ch))
			return -1;
		out[i] = (char)tolower(ch);
	}
	const char *rest = text + BOOT_ID_LEN;
	if (!(rest[0] == '\0' || (rest[0] == '\n' && rest[1] == '\0')))
		return -1;
	out[BOOT_ID_LEN] = '\0';
	return 0;
}

static char g_boot_id[BOOT_ID_LEN + 1];
static pthread_once_t g_boot_id_once = PTHREAD_ONCE_INIT;

static void read_boot_id(void)
{
	char *text = read_file(BOOT_ID_FILE, 64, NULL);
	if (boot_id_parse(text, g_boot_id) < 0)
		g_boot_id[0] = '\0';
	free(text);
}

const char *boot_id_current(void)
{
	pthread_once(&g_boot_id_once, read_boot_id);
	return g_boot_id;
}

bool boot_id_is_current(const char *recorded)
{
	char id[BOOT_ID_LEN + 1];
	const char *now = boot_id_current();
	if (!recorded || !*recorded || !*now)
		return true;
	/* A stamp that is not an id at all (a hand-edited file) proves nothing either way but
	 * cannot be this boot's: refused like a different one. */
	if (boot_id_parse(recorded, id) < 0)
		return false;
	return strcmp(id, now) == 0;
}
