#ifndef MLCOURSE_CNCURSESW_SHIM_H
#define MLCOURSE_CNCURSESW_SHIM_H
// SwiftPM drops pkg-config's defines, so the wide-character API must be switched on here,
// before curses.h is read.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

// Swift 6 rejects ncurses' mutable globals (stdscr, COLORS, ...) and cannot import its
// function-like macros (COLOR_PAIR, A_BOLD, BUTTON1_PRESSED, KEY_F). These shims reach them.

/// Opens the screen on stdout/stdin. Unlike initscr, returns NULL instead of exiting when the
/// terminal cannot be used.
static inline SCREEN *mlc_newterm(void) { return newterm(NULL, stdout, stdin); }

static inline WINDOW *mlc_stdscr(void) { return stdscr; }
static inline int mlc_colors(void) { return COLORS; }
static inline int mlc_color_pairs(void) { return COLOR_PAIRS; }
static inline int mlc_lines(void) { return LINES; }
static inline int mlc_cols(void) { return COLS; }

static inline attr_t mlc_attr_bold(void) { return A_BOLD; }
static inline attr_t mlc_attr_dim(void) { return A_DIM; }
static inline attr_t mlc_attr_italic(void) { return A_ITALIC; }
static inline attr_t mlc_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t mlc_attr_reverse(void) { return A_REVERSE; }

static inline int mlc_key_f(int n) { return KEY_F(n); }

static inline mmask_t mlc_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t mlc_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t mlc_button1_released(void) { return BUTTON1_RELEASED; }
static inline mmask_t mlc_button3_pressed(void) { return BUTTON3_PRESSED; }
static inline mmask_t mlc_wheel_up(void) { return BUTTON4_PRESSED; }
#ifdef BUTTON5_PRESSED
static inline mmask_t mlc_wheel_down(void) { return BUTTON5_PRESSED; }
#else
static inline mmask_t mlc_wheel_down(void) { return 0; }
#endif

/// Fills one wide cell with a character, attributes and a colour pair of any number
/// (the extended-pair form of setcchar: `opts` carries the pair as an int, so pairs
/// beyond 255 work; the short argument is then ignored).
static inline int mlc_set_cell(cchar_t *cell, wchar_t ch, attr_t attrs, int pair) {
    wchar_t text[2] = { ch, 0 };
    return setcchar(cell, text, attrs, 0, &pair);
}

/// True when the terminal can move its cursor anywhere (terminfo `cup`); a "dumb" terminal
/// cannot draw a screen at all.
static inline int mlc_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/// True when the current locale's character set is UTF-8 (call after setlocale).
static inline int mlc_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    if (!codeset) return 0;
    return (codeset[0] == 'U' || codeset[0] == 'u') && (codeset[1] == 'T' || codeset[1] == 't') &&
           (codeset[2] == 'F' || codeset[2] == 'f');
}
#endif
