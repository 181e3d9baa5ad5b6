/*
 * port_strerror for the RP2 ports (bare metal and pico-sdk): the errors a
 * task can end with, by their symbolic names. The names are a third of the
 * length of strerror's texts, just as clear to a C programmer, and they
 * only ever appear in the one-line failure report; newlib's strerror would
 * bring its whole table of texts into every program. -ECANCELED is never
 * reported.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "../../core/driver.h"

/* Codes and names in the same order. */
static const uint8_t error_codes[] = {EPERM,     EINTR,       EIO,      EBADF,     EAGAIN,
                                      ENOMEM,    EINVAL,      EPIPE,    EDEADLK,   ECONNRESET,
                                      ETIMEDOUT, EINPROGRESS, EMSGSIZE, EOVERFLOW, EBUSY};
static const char error_names[] = "EPERM\0EINTR\0EIO\0EBADF\0EAGAIN\0ENOMEM\0EINVAL\0EPIPE\0"
                                  "EDEADLK\0ECONNRESET\0ETIMEDOUT\0EINPROGRESS\0EMSGSIZE\0"
                                  "EOVERFLOW\0EBUSY";

const char *port_strerror(int errnum) {
    static char unknown[sizeof "error " - 1 + 11];
    unsigned value = errnum < 0 ? 0u - (unsigned)errnum : (unsigned)errnum;
    const char *name = error_names;
    for (size_t i = 0; i < sizeof error_codes; i++) {
        if (error_codes[i] == value) return name;
        while (*name++) { /* past this name: strlen would be a call */
        }
    }
    char *text = report_uint(unknown + sizeof unknown - 1, value, 10) - 6;
    memcpy(text, "error ", 6);
    return text;
}
