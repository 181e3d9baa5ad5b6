/*
 * A trace of what happened, in order: a test notes one character per event
 * (who ran, who woke) and compares the whole string at the end.
 */
#ifndef CASYNCIO_TRACE_H
#define CASYNCIO_TRACE_H

#include <stddef.h>

static char trace[256];
static size_t trace_len;

static inline void note(char c) {
    if (trace_len + 1 < sizeof trace) trace[trace_len++] = c;
    trace[trace_len] = '\0';
}

static inline void trace_reset(void) {
    trace_len = 0;
    trace[0] = '\0';
}

#endif
