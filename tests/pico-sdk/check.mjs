#!/usr/bin/env node
// Judges pico-sdk firmware run in the emulator (tools/emu/run.mjs) with the
// RP2040 boot ROM.
//
//   check.mjs exit <fw.uf2> <rom>       the firmware exits with status 0 (core tests,
//                                        cross_core, irq, uart_claim)
//   check.mjs blink <pico_blink.uf2> <rom>  GPIO 20 every 2 s, GPIO 19 every 0.5 s
//   check.mjs usb <pico_blink.uf2> <rom>    its USB serial prompt, LEDs alongside
//   check.mjs edge <pico_edge_callback.uf2> <rom>  edge waits beside a pico-sdk GPIO callback
//   check.mjs overflow <pico_stack_overflow.uf2> <rom>  the stack overflow report
//   check.mjs threshold <pico_slow_step_threshold.uf2> <rom>  the slow-step warning
//   check.mjs usb_stream <pico_usb_stream.uf2> <rom>  4,000 bytes out, drain, readexactly
//   check.mjs watch_rest <pico_watch_rest.uf2> <rom>  no watch interrupts during a sleep
//   check.mjs uart_stream <pico_uart_echo.uf2> <rom>  the UART stream on UART1 beside
//                                        stdio on UART0 (tests/firmware/uart_echo.c)
//   check.mjs i2c_read <pico_i2c_read.uf2> <rom>  the I2C driver reads a device model's
//                                        registers at the program's clk_sys; DMA claims
//
// Prints what it measured, then "PASS" or the failures; exit status 1 on
// any failure.
import { runFirmware } from '../../tools/emu/run.mjs';
import { attachI2C, registerDevice } from '../firmware/devices.mjs';
import { checkUartEcho, toggles } from '../firmware/uart_echo_check.mjs';

const failures = [];
const expect = (ok, what) => {
  if (!ok) failures.push(what);
};

function exit(uf2, bootrom) {
  const r = runFirmware(uf2, { seconds: 120, bootrom });
  console.log(r.uart.trim());
  expect(r.status === 'exit' && r.exitCode === 0,
    `status ${r.status} ${r.exitCode} (${r.faults.join('; ')}), want exit 0`);
}

// asyncio_sleep() is measured from the call and never ends early: each
// period is its nominal length plus one wake-up's latency (alarm -> task ->
// the next sleep's clock read). A period must never be short, and never
// longer by more than one wake-up.
const BLINK_SECONDS = 10;
const STARTUP_US = 5000;
const WAKE_LATENCY_LIMIT_US = 30;

function checkSleepPeriod(result, gpio, periodUs) {
  const edges = toggles(result, gpio);
  const want = Math.floor((BLINK_SECONDS * 1e6 - (edges[0]?.us ?? 0)) / periodUs) + 1;
  expect(edges.length === want, `GPIO ${gpio}: ${edges.length} toggles in ${BLINK_SECONDS} s, want ${want}`);
  expect(edges[0]?.us < STARTUP_US, `GPIO ${gpio}: first toggle at ${edges[0]?.us} us, want it at start-up`);
  let shortest = Infinity;
  let longest = 0;
  for (let k = 1; k < edges.length; k++) {
    const p = edges[k].us - edges[k - 1].us;
    shortest = Math.min(shortest, p);
    longest = Math.max(longest, p);
  }
  console.log(`GPIO ${gpio}: ${edges.length} toggles, period ${periodUs} us: ` +
    `${shortest.toFixed(3)} .. ${longest.toFixed(3)} us`);
  expect(shortest >= periodUs - 1e-6, `GPIO ${gpio}: a period of ${shortest.toFixed(3)} us is shorter than ${periodUs}`);
  expect(longest <= periodUs + WAKE_LATENCY_LIMIT_US,
    `GPIO ${gpio}: a period of ${longest.toFixed(3)} us exceeds ${periodUs} + ${WAKE_LATENCY_LIMIT_US}`);
}

function blink(uf2, bootrom) {
  const r = runFirmware(uf2, { seconds: BLINK_SECONDS, bootrom });
  expect(r.status === 'timeout', `status ${r.status} (${r.faults.join('; ')}), want it still running`);
  checkSleepPeriod(r, 20, 2000000);
  checkSleepPeriod(r, 19, 500000);
}

// examples/pico-sdk's prompt, through rp2040js' USB CDC host: each command
// is answered at once, and holding GPIO 19 stops its blinking (and only
// its) until it is told to blink again.
const ANSWER_LIMIT_US = 2000;
const USB_SCRIPT = [
  { us: 100000, text: 'help\n', answers: ['commands: help, led <19|20> <on|off|blink>, time'] },
  { us: 600000, text: 'led 19 on\n', answers: ['led 19 on'] },
  { us: 1600000, text: 'led 19 blink\n', answers: ['led 19 blink'] },
  // "time" is answered with printf, beside the stream
  { us: 1700000, text: 'time\n', answers: [(l) => /^time (\d+) ms$/.test(l) && Math.abs(Number(l.split(' ')[1]) - 1700) <= 1] },
  { us: 1800000, text: 'nonsense\n', answers: ["unknown command 'nonsense' (try help)"] },
  // two commands in one USB packet
  { us: 1900000, text: 'led 20 off\nled 20 blink\n', answers: ['led 20 off', 'led 20 blink'] },
  // 70 bytes without a newline in the first 63: dropped, the rest is a command of its own
  { us: 2000000, text: 'x'.repeat(70) + '\n', answers: ['line too long', "unknown command 'xxxxxx' (try help)"] },
];

function usb(uf2, bootrom) {
  const r = runFirmware(uf2, { seconds: 2.5, bootrom, usb: USB_SCRIPT });
  expect(r.status === 'timeout', `status ${r.status} (${r.faults.join('; ')}), want it still running`);
  expect(r.usbConnectedUs !== null, 'the USB host never configured the device');
  console.log(`USB configured at ${r.usbConnectedUs} us`);
  const lines = r.usbLines;
  const want = USB_SCRIPT.flatMap((step) => step.answers.map((answer) => ({ step, answer })));
  want.forEach(({ step, answer }, i) => {
    const got = lines[i];
    const ok = got && (typeof answer === 'function' ? answer(got.text) : got.text === answer);
    expect(ok, `answer ${i}: "${got?.text}", want "${answer}"`);
    if (got) {
      console.log(`${JSON.stringify(step.text)} -> ${JSON.stringify(got.text)} after ${(got.us - step.us).toFixed(1)} us`);
      expect(got.us > step.us && got.us - step.us < ANSWER_LIMIT_US, `answer ${i} came ${got.us - step.us} us after the command`);
    }
  });
  expect(lines.length === want.length, `${lines.length} answers, want ${want.length}`);
  // GPIO 19: toggles at 0 (on) and 0.5 s (off); held on from 0.6 s;
  // blinking again from 1.6 s (off), then every 0.5 s: 2.1 s (on).
  const blue = toggles(r, 19).map((e) => e.us);
  console.log(`GPIO 19 toggles at ${blue.map((us) => Math.round(us / 1000)).join(' ')} ms`);
  const within = (us, at) => us >= at && us < at + ANSWER_LIMIT_US;
  expect(blue.length === 5, `GPIO 19: ${blue.length} toggles, want 5`);
  expect(within(blue[2], 600000), `GPIO 19 went on at ${blue[2]} us, want just after 600 ms`);
  expect(within(blue[3], 1600000), `GPIO 19 blinked again at ${blue[3]} us, want just after 1600 ms`);
  expect(blue[4] - blue[3] >= 500000 && blue[4] - blue[3] <= 500000 + WAKE_LATENCY_LIMIT_US,
    `GPIO 19 toggled ${blue[4] - blue[3]} us after blinking resumed, want 500 ms`);
  const green = toggles(r, 20).map((e) => e.us);
  // GPIO 20: on at 0 and nothing else while GPIO 19 was held and released;
  // held off at 1.9 s, blinking again at once (on).
  console.log(`GPIO 20 toggles at ${green.map((us) => Math.round(us / 1000)).join(' ')} ms`);
  expect(green.length === 3 && green[0] < STARTUP_US, `GPIO 20 toggles at ${green.join(', ')} us, want 0, 1900, 1900 ms`);
  expect(within(green[1], 1900000) && within(green[2], 1900000) && green[2] > green[1],
    `GPIO 20 went off and on again at ${green[1]}, ${green[2]} us, want both just after 1900 ms`);
}

// tests/pico-sdk/edge_callback.c: 10 edges on GPIO 2, 1 ms apart, each
// followed by a toggle of GPIO 3 from the waiting task; 4 edges on GPIO 4
// in between, for the program's own callback.
const EDGE_IN = 2;
const EDGE_OUT = 3;
const CALLBACK_IN = 4;
// edge_callback.c's PAIRED_GPIO, driven up with the input's PAIRED_EDGE
const PAIRED_IN = 5;
const PAIRED_WITH = 6;
const EDGE_COUNT = 10;
const EDGE_LATENCY_LIMIT = 4000; // cycles: catches a broken path; the figure is in bench/
function edge(uf2, bootrom) {
  const drives = [];
  for (let i = 0; i < EDGE_COUNT; i++) drives.push({ gpio: EDGE_IN, level: (i + 1) % 2, us: 20000 + i * 1000 });
  for (let i = 0; i < 4; i++) drives.push({ gpio: CALLBACK_IN, level: (i + 1) % 2, us: 20500 + i * 1000 });
  drives.push({ gpio: PAIRED_IN, level: 1, us: 20000 + PAIRED_WITH * 1000 });
  const r = runFirmware(uf2, { seconds: 1, drives, bootrom });
  console.log(r.uart.trim());
  expect(r.status === 'exit' && r.exitCode === 0, `status ${r.status} ${r.exitCode} (${r.faults.join('; ')})`);
  const outs = toggles(r, EDGE_OUT);
  expect(outs.length === EDGE_COUNT, `${outs.length} output toggles, want ${EDGE_COUNT}`);
  const ins = r.drives.filter((d) => d.gpio === EDGE_IN);
  const latencies = ins.map((d, i) => (outs[i] ? outs[i].cycles - d.cycles : NaN));
  console.log(`edge -> task latency in cycles: ${latencies.join(' ')}`);
  for (const [i, c] of latencies.entries()) expect(c > 0 && c <= EDGE_LATENCY_LIMIT, `edge ${i}: latency ${c} cycles`);
  const lines = r.uart.split('\n').filter((l) => l.startsWith('edge '));
  for (let i = 0; i < EDGE_COUNT; i++) {
    const want = `edge ${i} ${i % 2 ? 'falling' : 'rising'} level ${i % 2 ? 0 : 1}`;
    expect(lines[i] === want, `UART line ${i}: "${lines[i]}", want "${want}"`);
  }
  expect(r.uart.includes('wait with no edge: timed out'), 'a wait under a 5 ms timeout did not time out');
  expect(r.uart.includes('callback edges 4, wrong pin 0'), "the program's own GPIO callback did not see its 4 edges");
  expect(r.uart.includes("paired pin: after the input's task"), "the paired pin's task did not run after the input's");
}

function overflow(uf2, bootrom) {
  const r = runFirmware(uf2, { seconds: 1, bootrom });
  const want = "casyncio: task 'deep' overflowed its 240-byte stack";
  console.log(r.uart.trim());
  expect(r.uart.includes(want), `UART does not say "${want}"`);
  expect(!r.uart.includes('casyncio: exit'), 'the firmware went on after the overflow');
}

// tests/firmware/slow_step_threshold.c: a 200 ms step under a 50 ms
// threshold is reported with its length (the watch looks every 12.5 ms, so
// it first sees the step at most that long after it began); a 20 ms step
// and an unwatched one are not.
function threshold(uf2, bootrom) {
  const r = runFirmware(uf2, { seconds: 2, bootrom });
  console.log(r.uart.trim());
  expect(r.status === 'exit' && r.exitCode === 0, `status ${r.status} ${r.exitCode}, want exit 0`);
  const m = /casyncio: task 'cruncher' ran (\d+) ms without yielding/.exec(r.uart);
  expect(m, 'no warning for the 200 ms step');
  if (m) expect(Number(m[1]) >= 185 && Number(m[1]) <= 200, `reported ${m[1]} ms for a 200 ms step`);
  expect(!r.uart.includes('nibbler'), 'a 20 ms step was reported under a 50 ms threshold');
  expect(!r.uart.includes('unwatched'), 'a step was reported with the threshold at 0');
}

// tests/pico-sdk/usb_stream.c, through the USB host: "go", then 100 lines
// in order, "drained" (printf) after the last, the 10 bytes sent back, the
// exit status; everything on the USB serial port.
function usbStream(uf2, bootrom) {
  const r = runFirmware(uf2, { seconds: 1, bootrom, usb: [{ us: 50000, text: 'go\n' }, { us: 200000, text: '0123456789' }] });
  const got = r.usbLines.map((l) => l.text);
  const want = [...Array(100).keys()].map((i) => `line ${String(i).padStart(3, '0')} abcdefghijklmnopqrstuvwxyz0123`)
    .concat(['drained', 'echo 0123456789', 'result 0', 'casyncio: exit 0']);
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    expect(got[i] === want[i], `USB line ${i}: "${got[i]}", want "${want[i]}"`);
  }
  const last = r.usbLines[99];
  const first = r.usbLines[0];
  if (first && last) console.log(`100 lines (4,000 bytes) in ${(last.us - first.us).toFixed(0)} us of simulated time`);
  console.log(got.slice(-4).join('\n'));
  expect(r.status === 'timeout', `status ${r.status} (${r.faults.join('; ')})`);
}

// tests/pico-sdk/watch_rest.c: a 500 ms sleep under a 50 ms slow-step
// threshold costs one wake-up, not 40 looks of the watch.
const REST_CYCLES_LIMIT = 5000;
function watchRest(uf2, bootrom) {
  const r = runFirmware(uf2, { seconds: 2, bootrom });
  expect(r.status === 'exit' && r.exitCode === 0, `status ${r.status} ${r.exitCode} (${r.faults.join('; ')})`);
  const marks = toggles(r, 5);
  expect(marks.length === 2, `${marks.length} marker toggles, want 2`);
  if (marks.length === 2) {
    const cycles = marks[1].cycles - marks[0].cycles;
    console.log(`${((marks[1].us - marks[0].us) / 1000).toFixed(3)} ms asleep, ${cycles} cycles executed`);
    expect(marks[1].us - marks[0].us >= 500000, 'the sleep ended early');
    expect(cycles <= REST_CYCLES_LIMIT, `${cycles} cycles executed during the sleep (> ${REST_CYCLES_LIMIT})`);
  }
}

// A BMP280-like sensor at 0x76 on I2C0: chip id 0x58 at 0xd0, a measurement
// at 0xf7..0xfc. The firmware halves clk_sys first: the controller's SCL
// period (high + low count, in clk_sys cycles) must be that clock's / 400 kHz.
function i2cRead(uf2, bootrom) {
  const sensor = registerDevice({ 0xd0: 0x58, 0xf7: 0x65, 0xf8: 0x5a, 0xf9: 0xc0, 0xfa: 0x7e, 0xfb: 0xed, 0xfc: 0x00 });
  let bus;
  let i2c;
  const setup = (mcu) => {
    bus = attachI2C(mcu, 0, { 0x76: sensor });
    i2c = mcu.i2c[0];
  };
  const r = runFirmware(uf2, { seconds: 2, bootrom, setup });
  console.log(r.uart.trim());
  console.log(`bus: ${bus.log.join(', ')}`);
  expect(r.status === 'exit' && r.exitCode === 0,
    `status ${r.status} ${r.exitCode} (${r.faults.join('; ')}), want exit 0`);
  const lines = r.uart.split('\n');
  expect(lines.includes('i2c init 0 chip id 1 58 measurement 6 65 5a c0 7e ed 00'),
    'no UART line "i2c init 0 chip id 1 58 measurement 6 65 5a c0 7e ed 00"');
  expect(lines.includes('spi init 0, dma channels claimed 7, program\'s still its'),
    'SPI0 did not claim two DMA channels beside the program\'s five');
  const want = ['S 76 W', 'w d0', 'Sr 76 R', 'r 58', 'P', 'S 76 W', 'w f7', 'Sr 76 R',
    'r 65', 'r 5a', 'r c0', 'r 7e', 'r ed', 'r 00', 'P'];
  expect(bus.log.join(',') === want.join(','), `bus log ${bus.log.join(', ')}, want ${want.join(', ')}`);
  const clk = Number(/^clk_sys (\d+)$/m.exec(r.uart)?.[1]);
  const period = i2c.fsClockHighPeriod + i2c.fsClockLowPeriod;
  console.log(`clk_sys ${clk} Hz, SCL period ${period} cycles`);
  const SDK_CLK_SYS_HZ = 125000000; // the Pico's clk_sys as the SDK starts it
  expect(clk > 0 && clk < SDK_CLK_SYS_HZ, `clk_sys ${clk} Hz: the firmware did not lower it`);
  expect(period === Math.round(clk / 400000), `SCL period ${period} cycles, want ${Math.round(clk / 400000)} (${clk} Hz / 400 kHz)`);
}

// tests/firmware/uart_echo.c on pico-sdk: its stream on UART1 (the
// interrupt-driven rings), printf on stdio_uart's UART0, which the stream
// refuses to take over.
function uartStream(uf2, bootrom) {
  checkUartEcho(uf2, { stream: 1, console: 0, bootrom, expect });
}

const modes = { exit, blink, usb, edge, overflow, threshold, usb_stream: usbStream, watch_rest: watchRest,
  i2c_read: i2cRead, uart_stream: uartStream };
const [mode, uf2, bootrom] = process.argv.slice(2);
if (!modes[mode] || !uf2 || !bootrom) {
  console.error(`usage: check.mjs ${Object.keys(modes).join('|')} <firmware.uf2> <bootrom.bin>`);
  process.exit(2);
}
modes[mode](uf2, bootrom);
for (const f of failures) console.log(`FAIL ${f}`);
console.log(failures.length ? 'FAILED' : 'PASS');
process.exitCode = failures.length ? 1 : 0;
