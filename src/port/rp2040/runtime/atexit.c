/*
 * atexit(): handlers that exit() (exit.c) runs in reverse order of
 * registration. Linked only when a firmware registers one; newlib's version
 * would add its own exit machinery (about 450 bytes of flash).
 */
#include <stdlib.h>

/* The 32 registrations ISO C guarantees. */
#define ATEXIT_MAX 32

void rp2040_atexit_run(void);

static void (*handlers[ATEXIT_MAX])(void);
static unsigned registered;

int atexit(void (*fn)(void)) {
    if (!fn || registered == ATEXIT_MAX) {
        return -1;
    }
    handlers[registered++] = fn;
    return 0;
}

/* A handler may register another: it runs too, before the older ones. */
void rp2040_atexit_run(void) {
    while (registered) {
        handlers[--registered]();
    }
}
