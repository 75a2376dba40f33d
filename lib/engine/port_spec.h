/* A published port as the client's -p and the API's PortBindings give it:
 * "[IP:]HOSTPORT:CONTAINERPORT[/tcp|udp]". The client and the daemon check it alike. */
#ifndef LIB_ENGINE_PORT_SPEC_H
#define LIB_ENGINE_PORT_SPEC_H

#include <stddef.h>

#include "engine/cni_conf.h"

/* 0 with p filled, or -1 with err naming spec and what is allowed. */
int port_spec_parse(const char *spec, struct cni_port *p, char *err, size_t errlen);

#endif
