// The UART echo firmware (tests/firmware/uart_echo.c) judged, wherever it
// runs: on the bare-metal port its stream is UART0, which is also the
// console (printf's lines come through the stream's TX ring, between the
// echoes); on pico-sdk (tests/pico-sdk) the stream is UART1 and printf goes
// to stdio on UART0. The script is the same; `stream` and `console` name the
// emulator results' UARTs (0 or 1).
import { runFirmware } from '../../tools/emu/run.mjs';

// What is sent, when, and what must come back. Lines fed back to back share
// an entry. `prompt`: one line sent to an idle firmware, so its reply must
// start at once. con(): a line printf writes (the console's).
const con = (text) => ({ console: text });
const LONG_LINE = 'the quick brown fox jumps over the lazy dog, then once more over the dog';
const UART_SCRIPT = [
  { us: 20000, prompt: true, text: 'hello world\n', echo: ['HELLO WORLD', con('[1]')] },
  { us: 30000, text: 'casyncio on the pico\ntwo lines at once\n',
    echo: ['CASYNCIO ON THE PICO', con('[2]'), 'TWO LINES AT ONCE', con('[3]')] },
  { us: 50000, text: LONG_LINE + '\n', echo: ['readline -EMSGSIZE', LONG_LINE.toUpperCase()] },
  { us: 80000, prompt: true, text: 'after the long one\n', echo: ['AFTER THE LONG ONE', con('[5]')] },
  // 300 bytes while the firmware does not read for 100 ms: the 256-byte ring
  // keeps 256, 44 are dropped; the line ends much later.
  { us: 100000, pause: true, text: 'pause\n' + 'x'.repeat(300), echo: [] },
  { us: 250000, text: '\n', echo: ['dropped 44 buffered 256'] },
  { us: 300000, prompt: true, text: 'still here\n', echo: ['STILL HERE', con('[7]')] },
  // 1,000 bytes out: writes wait for room in the TX ring, the LED goes on.
  { us: 320000, prompt: true, text: 'flood\n', echo: [...Array(25).keys()].map(
    (i) => `flood ${String(i).padStart(2, '0')} abcdefghijklmnopqrstuvwxyz0123`).concat([con('flood: *')]) },
  { us: 500000, prompt: true, text: 'quit\n', echo: ['bye: 9 lines, 44 dropped', con('casyncio: exit 0')] },
];
const UART_LED = 25;
const UART_LED_PERIOD_US = 10000;
const UART_LED_TOLERANCE_US = 20;
const ECHO_LATENCY_LIMIT_US = 200; // a character is 87 us at 115200 baud

const key = (uart, name) => (uart ? name.replace('uart', 'uart1') : name);

// Level changes of one pin (the first event of an output is Input -> Low,
// which is not a toggle). Shared with the other checks.
export function toggles(result, gpio) {
  const out = [];
  let level = 0;
  for (const e of result.edges.filter((x) => x.gpio === gpio)) {
    if (e.level !== level) out.push(e);
    level = e.level;
  }
  return out;
}

function compareLines(expect, got, want, what) {
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const same = want[i]?.endsWith('*') ? got[i]?.startsWith(want[i].slice(0, -1)) : got[i] === want[i];
    expect(same, `${what} line ${i}: "${got[i]}", want "${want[i]}"`);
  }
}

// Runs `uf2` with the script on UART `stream` and judges it; expect(ok, what)
// records each failure. bootrom: for pico-sdk firmware.
export function checkUartEcho(uf2, { stream = 0, console: consoleUart = 0, bootrom = null, expect }) {
  const r = runFirmware(uf2, {
    seconds: 1, bootrom,
    [stream ? 'uart1Input' : 'uartInput']: UART_SCRIPT,
    [stream ? 'uart1TxTiming' : 'uartTxTiming']: true,
  });
  const lines = r[key(stream, 'uartLines')];
  const rx = r[key(stream, 'uartRx')];
  expect(r.status === 'exit' && r.exitCode === 0, `status ${r.status} ${r.exitCode} (${r.faults.join('; ')})`);
  expect(rx.lostInFifo === 0, `${rx.lostInFifo} bytes lost in the UART's FIFO`);
  const all = ['timeout ok', 'ready', ...UART_SCRIPT.flatMap((s) => s.echo)];
  const text = (l) => (typeof l === 'string' ? l : l.console);
  const consoleLines = r[key(consoleUart, 'uartLines')].map((l) => l.text);
  if (stream === consoleUart) {
    compareLines(expect, lines.map((l) => l.text), all.map(text), 'UART');
  } else {
    compareLines(expect, lines.map((l) => l.text), all.filter((l) => typeof l === 'string'), `UART${stream}`);
    compareLines(expect, consoleLines, all.filter((l) => typeof l !== 'string').map(text), `console UART${consoleUart}`);
  }
  // 1,000 bytes take 1,000 character times whoever sends them; the writes
  // returned once all but about a ring and a FIFO (up to 288 bytes) were out.
  const flood = /written in (\d+) us, drained in (\d+) us/.exec(consoleLines.find((l) => l.startsWith('flood:')));
  const charUs = 1e7 / 115207;
  const [writeUs, drainUs] = flood ? [Number(flood[1]), Number(flood[2])] : [NaN, NaN];
  console.log(`flood: 1,000 bytes written in ${writeUs} us, drained in ${drainUs} us (${charUs.toFixed(1)} us a byte)`);
  expect(Math.abs(writeUs + drainUs - 1000 * charUs) < 3 * charUs, 'flood: sending 1,000 bytes did not take 1,000 character times');
  expect(drainUs > 200 * charUs && drainUs < 290 * charUs, 'flood: drain did not wait for the ring and the FIFO');
  // Output starts promptly after a prompt line's '\n' (its first byte is on
  // the wire one character time later); the pause lasts 100 ms.
  const lineEnd = (entry) => rx.newlines[UART_SCRIPT.slice(0, UART_SCRIPT.indexOf(entry) + 1)
    .reduce((n, e) => n + e.text.split('\n').length - 1, 0) - 1];
  const replyAfter = (us) => lines.find((l) => l.firstUs >= us)?.firstUs - us;
  const latencies = UART_SCRIPT.filter((e) => e.prompt).map((e) => replyAfter(lineEnd(e)));
  const worstLatency = Math.max(...latencies);
  console.log(`first byte out after a prompt line: ${latencies.map((l) => l.toFixed(1)).join(' ')} us`);
  expect(worstLatency <= ECHO_LATENCY_LIMIT_US, `output came ${worstLatency} us after a line`);
  const pauseUs = replyAfter(lineEnd(UART_SCRIPT.find((e) => e.pause)));
  console.log(`"pause" -> report after ${pauseUs?.toFixed(1)} us`);
  expect(pauseUs >= 100000 && pauseUs <= 100000 + ECHO_LATENCY_LIMIT_US, `the pause lasted ${pauseUs} us, want 100 ms`);
  // The LED kept its period while the UART was busy, until the firmware quit.
  const edges = toggles(r, UART_LED);
  let worst = 0;
  for (let k = 1; k < edges.length; k++) {
    worst = Math.max(worst, Math.abs(edges[k].us - edges[k - 1].us - UART_LED_PERIOD_US),
      Math.abs(edges[k].us - edges[0].us - k * UART_LED_PERIOD_US));
  }
  console.log(`GPIO ${UART_LED}: ${edges.length} toggles, period ${UART_LED_PERIOD_US} us: worst error ${worst.toFixed(3)} us`);
  expect(worst <= UART_LED_TOLERANCE_US, `GPIO ${UART_LED}: off by ${worst.toFixed(3)} us (> ${UART_LED_TOLERANCE_US})`);
  const quitUs = rx.newlines.at(-1);
  expect(edges.length && quitUs - edges.at(-1).us < UART_LED_PERIOD_US,
    `GPIO ${UART_LED}: last toggle at ${edges.at(-1)?.us} us, the firmware quit at ${quitUs} us`);
}
