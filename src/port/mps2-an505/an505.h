/*
 * What the files of the MPS2 AN505 port share (not a public API): the
 * registers it uses and its start-up steps.
 *
 * The AN505 image (Arm's Cortex-M33 FPGA image for the MPS2+ board, which
 * qemu-system-arm models as machine mps2-an505) boots in the Secure state.
 * Every address below is the Secure alias (bit 28 set): the peripheral
 * protection controllers leave the peripherals Secure-only after reset.
 */
#ifndef CASYNCIO_AN505_H
#define CASYNCIO_AN505_H

#include <stddef.h>
#include <stdint.h>

#define REG(addr) (*(volatile uint32_t *)(uintptr_t)(addr))

/* The subsystem's main clock, which drives the CMSDK timers and UARTs. */
#define AN505_SYSCLK_HZ   20000000u
#define AN505_TICKS_PER_US (AN505_SYSCLK_HZ / 1000000u)

/* CMSDK APB timers: 32-bit down-counters that reload from RELOAD on
 * reaching 0 and then raise their interrupt. */
#define TIMER0_BASE       0x50000000u /* the clock: free-running */
#define TIMER1_BASE       0x50001000u /* the alarm: one deadline */
#define TIMER_CTRL(b)     ((b) + 0x00u)
#define TIMER_VALUE(b)    ((b) + 0x04u)
#define TIMER_RELOAD(b)   ((b) + 0x08u)
#define TIMER_INTCLEAR(b) ((b) + 0x0cu) /* reads: INTSTATUS */
#define TIMER_CTRL_ENABLE 0x1u
#define TIMER_CTRL_IRQ    0x8u
#define IRQ_TIMER0        3u
#define IRQ_TIMER1        4u

/* CMSDK APB UART0: the console. */
#define UART0_BASE        0x50200000u
#define UART_DATA         (UART0_BASE + 0x00u)
#define UART_STATE        (UART0_BASE + 0x04u) /* bit 0: TX full, bit 1: RX full */
#define UART_CTRL         (UART0_BASE + 0x08u) /* bit 0: TX enable, bit 1: RX enable */
#define UART_BAUDDIV      (UART0_BASE + 0x10u)
#define UART_STATE_TXFULL 0x1u
#define UART_STATE_RXFULL 0x2u

/* System control space. */
#define NVIC_ISER0        0xe000e100u
#define NVIC_ICPR0        0xe000e280u
#define SCB_SHCSR         0xe000ed24u
#define SCB_CFSR          0xe000ed28u
#define SCB_CPACR         0xe000ed88u
#define SHCSR_USGFAULTENA (1u << 18)
#define SHCSR_BUSFAULTENA (1u << 17)
#define SHCSR_MEMFAULTENA (1u << 16)
#define CFSR_STKOF        (1u << 20) /* UsageFault: a stack limit was crossed */
#define CPACR_CP10_CP11   (0xfu << 20) /* full access to the FPU */
#define SYST_CSR          0xe000e010u  /* SysTick: bit 0 enable, 1 interrupt, 2 CPU clock */
#define SYST_RVR          0xe000e014u
#define SYST_CVR          0xe000e018u

/* Start-up, in this order, from cortexm_board_init (startup.c). */
void an505_uart_init(void);
void an505_timer_init(void);

/* UART0, polled: "\n" goes out as "\r\n" for terminals. */
void an505_uart_write(const char *s, size_t n);
int an505_uart_getc(void); /* a received byte, or -1 */

/* Ends the emulation with `status` (semihosting SYS_EXIT_EXTENDED). */
_Noreturn void an505_exit(int status);

/* Interrupt handlers the vector table points at. */
void an505_isr_timer0(void);
void an505_isr_timer1(void);
void an505_isr_systick(void); /* none by default (startup.c): a firmware's own */

/* Linker script symbols. */
extern uint32_t __stack_top__[], __stack_limit__[];

#endif
