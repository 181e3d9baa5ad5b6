#!/usr/bin/env node
// The pico-sdk port beside the bare-metal port, in one run of the emulator
// (rp2040js at 125 MHz, its cycle counters):
//   bench.mjs <build-rp2040 dir> <build-pico-sdk/bench dir> <boot ROM>
// - cycles per asyncio_yield, per timer wake-up and from an input edge to
//   the waiting task: bench/rp2040/bench_rp2040.c built for each port;
// - flash (text + data) of the README's two-LED blink: with casyncio on
//   pico-sdk, the same blink with sleep_ms (what casyncio adds is the
//   difference), with pico-sdk's async_context, and bare metal;
// - CPU time awake per simulated second while blinking: executed cycles
//   between 10 s and 20 s of blinking, over those 10 s;
// - with a fourth argument (the three blinks built for the Pico 2), their
//   flash on the RP2350 (no emulator runs them).
import { elfSizes } from '../../tools/fwsize.mjs';
import { runFirmware } from '../../tools/emu/run.mjs';
import { measure } from '../rp2040/bench.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Microseconds of CPU time per second (the rest is spent in WFE), and the
// toggles of each LED in 20 s as a check that it blinked as it should.
function awake(uf2, bootrom) {
  const at = (seconds) => runFirmware(uf2, { seconds, bootrom });
  const [a, b] = [at(10), at(20)];
  for (const r of [a, b]) {
    if (r.status !== 'timeout') throw new Error(`${uf2}: ${r.status} ${r.faults.join('; ')}`);
  }
  const toggles = (gpio) => b.edges.filter((e) => e.gpio === gpio).length - 1; // first: Input -> Low
  if (toggles(20) !== 10 || toggles(19) !== 40) {
    throw new Error(`${uf2}: ${toggles(20)} and ${toggles(19)} toggles in 20 s, want 10 and 40`);
  }
  return ((b.cycles - a.cycles) / 10 / b.clkSys) * 1e6;
}

function main([rpDir, sdkDir, rom, pico2Dir]) {
  if (!rpDir || !sdkDir || !rom) {
    console.error('usage: bench.mjs <build-rp2040 dir> <build-pico-sdk/bench dir> <boot ROM> [<pico2 dir>]');
    process.exit(2);
  }
  const bare = measure(`${rpDir}/bench/rp2040/bench_rp2040.uf2`);
  const sdk = measure(`${sdkDir}/bench_pico_sdk.uf2`, rom);
  const row = (what, a, b) => console.log(`| ${what.padEnd(50)} | ${String(a).padStart(10)} | ${String(b).padStart(10)} |`);
  console.log(`| ${'RP2040, rp2040js 1.4.1 at 125 MHz'.padEnd(50)} | bare metal |   pico-sdk |`);
  console.log(`|${'-'.repeat(52)}|-----------:|-----------:|`);
  row('asyncio_yield between two tasks, cycles/switch', bare.yieldCycles.toFixed(1), sdk.yieldCycles.toFixed(1));
  row('timer wake-up, cycles (IRQ..task..WFE)', bare.wakeCycles, sdk.wakeCycles);
  row('timer wake-up, cycles, fastest', bare.wakeCyclesMin, sdk.wakeCyclesMin);
  row('input edge -> waiting task runs, cycles (median)', median(bare.latency), median(sdk.latency));
  row('heap besides stacks: loop + 2 tasks, B', bare.heap, sdk.heap);

  const blinks = {
    'casyncio on pico-sdk': `${sdkDir}/blink_casyncio`,
    'sleep_ms on pico-sdk': `${sdkDir}/blink_sleep_ms`,
    'async_context on pico-sdk': `${sdkDir}/blink_async_context`,
    'casyncio bare metal': `${rpDir}/examples/blink`,
  };
  console.log('');
  console.log(`| ${'two-LED blink'.padEnd(26)} | flash: text + data, B | CPU awake, us per s |`);
  console.log(`|${'-'.repeat(28)}|----------------------:|--------------------:|`);
  const flash = {};
  for (const [name, base] of Object.entries(blinks)) {
    flash[name] = elfSizes(`${base}.elf`).flash;
    const us = awake(`${base}.uf2`, name.includes('bare') ? null : rom);
    console.log(`| ${name.padEnd(26)} | ${String(flash[name]).padStart(21)} | ${us.toFixed(1).padStart(19)} |`);
  }
  const added = flash['casyncio on pico-sdk'] - flash['sleep_ms on pico-sdk'];
  console.log('');
  console.log(`casyncio adds ${added} B to a pico-sdk blink (budget 4096 B); ` +
    `async_context adds ${flash['async_context on pico-sdk'] - flash['sleep_ms on pico-sdk']} B`);
  if (pico2Dir) {
    const size = (name) => elfSizes(`${pico2Dir}/${name}.elf`).flash;
    const [casyncio, sleepMs, asyncContext] = ['blink_casyncio', 'blink_sleep_ms', 'blink_async_context'].map(size);
    console.log('');
    console.log(`RP2350 (Pico 2, Arm), flash: casyncio ${casyncio} B, sleep_ms ${sleepMs} B, ` +
      `async_context ${asyncContext} B; casyncio adds ${casyncio - sleepMs} B, async_context ${asyncContext - sleepMs} B`);
  }
}

main(process.argv.slice(2));
