#ifndef MLCOURSE_CNCURSESW_SHIM_H
#define MLCOURSE_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's defines, so the wide-character API must be switched on here,
// before curses.h is read.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <ncursesw/curses.h>
#endif
