/*
 * The reset handler's C part: C's memory, the board, constructors, main().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cortexm.h"

int main(void);

/* From the port's linker script. */
extern uint32_t __data_start__[], __data_end__[], __data_load__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern void (*__init_array_start__[])(void);
extern void (*__init_array_end__[])(void);

/* `used`: a port may reach it from assembly only (a reset handler that sets
 * up the CPU first). memcpy and memset rather than word loops, which the
 * compiler would turn into those calls anyway (the C library's own need no
 * .data nor .bss). */
__attribute__((used)) _Noreturn void cortexm_start(void) {
    memcpy(__data_start__, __data_load__, (size_t)((char *)__data_end__ - (char *)__data_start__));
    memset(__bss_start__, 0, (size_t)((char *)__bss_end__ - (char *)__bss_start__));
    cortexm_board_init();
    for (void (**ctor)(void) = __init_array_start__; ctor < __init_array_end__; ctor++) {
        (*ctor)();
    }
    exit(main());
}
