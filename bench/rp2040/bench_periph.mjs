#!/usr/bin/env node
// The peripheral drivers' figures, from the emulator:
//   bench_periph.mjs <bench_periph.uf2> <size_none.elf> <size_i2c.elf> <size_spi.elf> <size_adc.elf> <size_pwm.elf>
// - CPU awake during a transfer: the CPU's cycle counter (rp2040js counts
//   only while it executes) across the transfer, against the transfer's
//   length in cycles at 125 MHz; the driver's way (the task suspends, the CPU
//   sleeps in WFE) beside a blocking loop on the same registers;
// - transfer end -> task running: from the device model's last event (the
//   last SPI byte clocked, the I2C STOP) to the marker the task sets as it
//   resumes, in CPU cycles;
// - flash each driver adds to the smallest firmware that uses it.
import { elfSizes } from '../../tools/fwsize.mjs';
import { GPIOPinState, runFirmware } from '../../tools/emu/run.mjs';
import { attachI2C, attachSPI, registerDevice } from '../../tests/firmware/devices.mjs';

const MHZ = 125;
const [uf2, ...sizeElfs] = process.argv.slice(2);
if (!uf2 || sizeElfs.length !== 5) {
  console.error('usage: bench_periph.mjs <bench_periph.uf2> <size_none.elf> <size_i2c.elf> <size_spi.elf> <size_adc.elf> <size_pwm.elf>');
  process.exit(2);
}

const ends = [];
let spiState;
let i2cBus;
const setup = (mcu) => {
  spiState = attachSPI(mcu, 1, () => 0);
  i2cBus = attachI2C(mcu, 0, { 0x76: registerDevice({}) });
  // the transfer's last event, noted as the marker falls
  let high = false;
  mcu.gpio[10].addListener((state) => {
    if (state === GPIOPinState.High) high = true;
    if (state !== GPIOPinState.Low || !high) return;
    high = false;
    ends.push({ spi: spiState.lastDoneCycles, i2c: i2cBus.lastStopCycles });
  });
};
const r = runFirmware(uf2, { seconds: 1, setup });
if (r.status !== 'exit' || r.exitCode !== 0) {
  throw new Error(`bench_periph: ${r.status} ${r.exitCode} ${r.faults.join('; ')}\n${r.uart}`);
}
const marks = r.edges.filter((e) => e.gpio === 10).slice(1); // the first is Input -> Low
const spans = [];
for (let i = 0; i + 1 < marks.length; i += 2) spans.push({ start: marks[i], end: marks[i + 1], endIndex: i / 2 });
const [spiAsync, spiBlock, i2cAsync, i2cBlock] = spans;
const awake = (s) => s.end.cycles - s.start.cycles;
const length = (s) => Math.round((s.end.us - s.start.us) * MHZ);
const pct = (s) => ((100 * awake(s)) / length(s)).toFixed(1);
const endOf = (s, kind) => ends[s.endIndex]?.[kind];

function row(what, value) {
  console.log(`| ${what.padEnd(66)} | ${String(value).padStart(15)} |`);
}
console.log(`| ${'RP2040 drivers (rp2040js 1.4.1, 125 MHz)'.padEnd(66)} | ${'measured'.padStart(15)} |`);
console.log(`|${'-'.repeat(68)}|----------------:|`);
for (const [name, a, b] of [['1 KiB SPI write, 8.9 MHz', spiAsync, spiBlock], ['64-byte I2C read, 400 kHz', i2cAsync, i2cBlock]]) {
  row(`${name}: length, cycles (driver / loop)`, `${length(a)} / ${length(b)}`);
  row(`${name}: CPU awake, cycles (driver / loop)`, `${awake(a)} / ${awake(b)}`);
  row(`${name}: CPU awake, % of it (driver / loop)`, `${pct(a)} / ${pct(b)}`);
}
row('SPI transfer end (last byte in) -> task running, cycles', spiAsync.end.cycles - endOf(spiAsync, 'spi'));
row('I2C transfer end (STOP) -> task running, cycles', i2cAsync.end.cycles - endOf(i2cAsync, 'i2c'));
const [none, ...drivers] = sizeElfs.map((p) => elfSizes(p).flash);
row('flash of a firmware using no driver (asyncio_run + a sleep), B', none);
for (const [name, size] of [['I2C', drivers[0]], ['SPI (and the DMA interrupt)', drivers[1]], ['ADC (and the DMA interrupt)', drivers[2]], ['PWM', drivers[3]]]) {
  row(`flash added by the ${name} driver, B`, size - none);
}
