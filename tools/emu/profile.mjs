#!/usr/bin/env node
// Where the cycles go: runs RP2040 firmware in the emulator and, from a
// moment on until a GPIO output changes, counts the cycles and instructions
// spent in each function (named from the .elf's symbols), then prints them
// with the order in which the functions ran.
//
//   profile.mjs <firmware.uf2> <firmware.elf> --from US --until-gpio G [--drive G] [--from-gpio G]
//
// --from US        start counting at US microseconds of simulated time
// --until-gpio G   stop at the next change of output G
// --drive G        drive input G high at --from (an edge for an edge wait)
// --from-gpio G    start counting when output G next goes high after
//                  --from instead (a window between two markers: G may be
//                  the same pin as --until-gpio)
//
// Examples (build-rp2040/bench/rp2040, after make bench-rp2040):
//   a timer wake-up of tests/firmware/periodic.c's GPIO 19, due at 500 ms:
//     profile.mjs fw_periodic.uf2 fw_periodic.elf --from 499000 --until-gpio 19
//   an edge on GPIO 2 to the task that toggles GPIO 3:
//     profile.mjs bench_rp2040.uf2 bench_rp2040.elf --from 500000 --until-gpio 3 --drive 2
//   the 2,000 yields between GPIO 10's two changes:
//     profile.mjs bench_rp2040.uf2 bench_rp2040.elf --from 0 --from-gpio 10 --until-gpio 10
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { GPIOPinState, RP2040 } from 'rp2040js';
import { BOOT2_ENTRY, SRAM_TOP, loadImage } from './run.mjs';

function symbolTable(elf) {
  const text = execFileSync('arm-none-eabi-nm', ['-n', elf]).toString();
  const syms = text.split('\n').map((l) => l.split(' '))
    .filter((p) => p.length === 3 && /[tT]/.test(p[1]))
    .map((p) => [parseInt(p[0], 16), p[2]]);
  return (pc) => {
    let lo = 0, hi = syms.length - 1, best = '?';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (syms[mid][0] <= pc) { best = syms[mid][1]; lo = mid + 1; } else hi = mid - 1;
    }
    return best;
  };
}

export function profile(uf2, elf, { fromUs, untilGpio, drive = null, fromGpio = null }) {
  const nameOf = symbolTable(elf);
  const mcu = new RP2040();
  mcu.flash.set(loadImage(uf2));
  const { clock, core } = mcu;
  core.PC = BOOT2_ENTRY;
  core.SP = SRAM_TOP;
  core.LR = 0;
  const fromNs = fromUs * 1000;
  let counting = false, done = false, armed = fromGpio === null;
  mcu.gpio[untilGpio].addListener(() => { if (counting) done = true; });
  if (fromGpio !== null) {
    // registered after the until-listener: the change that starts the count
    // does not also end it
    mcu.gpio[fromGpio].addListener((state) => {
      if (state === GPIOPinState.High && clock.nanos >= fromNs) armed = true;
    });
  }
  const perFunction = new Map();
  const order = [];
  let cycles = 0, instructions = 0;
  while (!done && clock.nanos < fromNs + 60e9) {
    if (!counting && armed && clock.nanos >= fromNs) {
      counting = true;
      if (drive !== null) mcu.gpio[drive].setInputValue(true);
    }
    if (core.waiting) { // sleep to the next alarm, or to the start
      const alarm = clock.nextAlarm ? clock.nextAlarm.nanos : Infinity;
      clock.tick(Math.max(1, Math.min(alarm, counting ? Infinity : fromNs) - clock.nanos));
      continue;
    }
    const name = nameOf(core.PC >>> 0);
    const before = core.cycles;
    clock.tick((core.executeInstruction() * 1e9) / mcu.clkSys);
    if (!counting) continue;
    const f = perFunction.get(name) ?? { cycles: 0, instructions: 0 };
    f.cycles += core.cycles - before;
    f.instructions++;
    perFunction.set(name, f);
    cycles += core.cycles - before;
    instructions++;
    if (order[order.length - 1] !== name) order.push(name);
  }
  return { done, cycles, instructions, perFunction, order };
}

function main(argv) {
  const opts = { fromUs: null, untilGpio: null, drive: null, fromGpio: null };
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--from') opts.fromUs = Number(argv[++i]);
    else if (argv[i] === '--until-gpio') opts.untilGpio = Number(argv[++i]);
    else if (argv[i] === '--drive') opts.drive = Number(argv[++i]);
    else if (argv[i] === '--from-gpio') opts.fromGpio = Number(argv[++i]);
    else files.push(argv[i]);
  }
  if (files.length !== 2 || !(opts.fromUs >= 0) || !(opts.untilGpio >= 0)) {
    console.error('usage: profile.mjs <firmware.uf2> <firmware.elf> --from US --until-gpio G [--drive G] [--from-gpio G]');
    return 2;
  }
  const p = profile(files[0], files[1], opts);
  if (!p.done) {
    console.error(`GPIO ${opts.untilGpio} never changed`);
    return 1;
  }
  console.log(`${p.cycles} cycles, ${p.instructions} instructions`);
  const rows = [...p.perFunction].sort((a, b) => b[1].cycles - a[1].cycles);
  for (const [name, f] of rows) console.log(`${String(f.cycles).padStart(7)} ${String(f.instructions).padStart(6)}  ${name}`);
  console.log(p.order.join(' > '));
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
