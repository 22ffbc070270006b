// libtcc, linked in-process (Debian's libtcc-dev ships libtcc.a).
#include <libtcc.h>
