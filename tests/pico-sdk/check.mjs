#!/usr/bin/env node
// Judges pico-sdk firmware run in the emulator (tools/emu/run.mjs) with the
// RP2040 boot ROM.
//
//   check.mjs exit <fw.uf2> <rom>       the firmware exits with status 0
//   check.mjs blink <pico_blink.uf2> <rom>  GPIO 20 every 2 s, GPIO 19 every 0.5 s
//
// Prints what it measured, then "PASS" or the failures; exit status 1 on
// any failure.
import { runFirmware } from '../../tools/emu/run.mjs';

const failures = [];
const expect = (ok, what) => {
  if (!ok) failures.push(what);
};

// Level changes of one pin (an output's first event is Input -> Low, which
// is not a toggle).
function toggles(result, gpio) {
  const out = [];
  let level = 0;
  for (const e of result.edges.filter((x) => x.gpio === gpio)) {
    if (e.level !== level) out.push(e);
    level = e.level;
  }
  return out;
}

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

const modes = { exit, blink };
const [mode, uf2, bootrom] = process.argv.slice(2);
if (!modes[mode] || !uf2 || !bootrom) {
  console.error(`usage: check.mjs ${Object.keys(modes).join('|')} <firmware.uf2> <bootrom.bin>`);
  process.exit(2);
}
modes[mode](uf2, bootrom);
for (const f of failures) console.log(`FAIL ${f}`);
console.log(failures.length ? 'FAILED' : 'PASS');
process.exitCode = failures.length ? 1 : 0;
