#!/usr/bin/env node
// RP2040 figures from the emulator, printed as a table beside the budgets of
// issue 4:
//   bench.mjs <bench_rp2040.uf2> <blink.elf>
// Cycles and instructions are rp2040js's counters at 125 MHz (its cycle
// model: 1 per ALU instruction, 2 per load/store, 3-4 per APB access, ...),
// read by the runner at each GPIO marker change the firmware makes.
import { pathToFileURL } from 'node:url';
import { elfSizes } from '../../tools/fwsize.mjs';
import { runFirmware } from '../../tools/emu/run.mjs';

const YIELDS = 1000;
const EDGE_START_US = 500000;
const EDGE_SPACING_US = 1000;
const EDGES = 10;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pinEdges = (r, gpio) => r.edges.filter((e) => e.gpio === gpio);

// bootrom: for firmware that calls the boot ROM (pico-sdk's); bench/pico-sdk
// measures its build of bench_rp2040.c with this too.
export function measure(uf2, bootrom = null) {
  const drives = [];
  for (let i = 0; i < EDGES; i++) {
    drives.push({ gpio: 2, level: (i + 1) % 2, us: EDGE_START_US + i * EDGE_SPACING_US });
  }
  const r = runFirmware(uf2, { seconds: 2, drives, bootrom });
  if (r.status !== 'exit' || r.exitCode !== 0) {
    throw new Error(`bench firmware: ${r.status} ${r.exitCode} ${r.faults.join('; ')}\n${r.uart}`);
  }
  const [start, end] = pinEdges(r, 10).filter((e) => e.level === 1 || e.cycles > 0).slice(-2);
  const wakes = pinEdges(r, 11).slice(1); // the first event is Input -> Low
  const wakeInstr = wakes.slice(2).map((e, i) => e.instructions - wakes[i + 1].instructions);
  const wakeCycles = wakes.slice(2).map((e, i) => e.cycles - wakes[i + 1].cycles);
  const outs = pinEdges(r, 3).slice(1);
  const latency = r.drives.map((d, i) => outs[i].cycles - d.cycles);
  return {
    yieldCycles: (end.cycles - start.cycles) / (2 * YIELDS),
    wakeInstr: median(wakeInstr),
    wakeCycles: median(wakeCycles),
    wakeCyclesMin: Math.min(...wakeCycles),
    latency,
    heap: /besides stacks (\d+) B/.exec(r.uart)?.[1],
    record: /task record: (\d+) B of caller storage and (\d+) B of heap, or a heap chunk of (\d+) B/.exec(r.uart),
  };
}

function row(what, value, budget) {
  console.log(`| ${what.padEnd(50)} | ${String(value).padStart(10)} | ${budget.padStart(8)} |`);
}

function main([uf2, blinkElf]) {
  if (!uf2 || !blinkElf) {
    console.error('usage: bench.mjs <bench_rp2040.uf2> <blink.elf>');
    process.exit(2);
  }
  const m = measure(uf2);
  const size = elfSizes(blinkElf);
  console.log(`| ${"RP2040 (rp2040js 1.4.1, 125 MHz)".padEnd(50)} |   measured |   budget |`);
  console.log(`|${"-".repeat(52)}|-----------:|---------:|`);
  row('asyncio_yield between two tasks, cycles/switch', m.yieldCycles.toFixed(1), '<= 80');
  row('timer wake-up, instructions (IRQ..task..WFE)', m.wakeInstr, 'report');
  row('timer wake-up, cycles', m.wakeCycles, 'report');
  // rp2040js schedules an alarm (value - clock) truncated to whole
  // microseconds, so it may fire up to 1 us before the count the CPU reads
  // reaches it; the port then sleeps once more. The fastest wake-up is the
  // one without that extra round.
  row('timer wake-up, cycles (fastest)', m.wakeCyclesMin, 'report');
  row('input edge -> waiting task runs, cycles (median)', median(m.latency), '<= 250');
  row('input edge -> waiting task runs, cycles (max)', Math.max(...m.latency), '<= 250');
  row('blink flash: text + data (boot2 included), B', size.flash, '<= 4096');
  row('blink static RAM: data + bss, B', size.ram, '');
  row('blink heap besides stacks (loop, 2 tasks), B', m.heap, '');
  row('blink RAM besides stacks, B', size.ram + Number(m.heap), '<= 512');
  if (!m.record || m.record[2] !== '0') throw new Error('a task in caller storage took heap memory');
  row('task record (in caller storage, no heap), B', m.record[1], '<= 48');
  row('task record from malloc: heap chunk, B', m.record[3], '');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
