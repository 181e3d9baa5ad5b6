#!/usr/bin/env node
// Judges the RP2040 peripheral firmware tests, run in the emulator with
// device models attached (devices.mjs).
//
//   check_periph.mjs i2c <i2c_bus.uf2>   I2C: bytes on the bus, errors,
//                                        timeout, cancel, two tasks, a stuck bus
//
// Prints what it saw, then "PASS" or the failures; exit status 1 on any.
import { GPIOPinState, runFirmware } from '../../tools/emu/run.mjs';
import { attachI2C, displayDevice, registerDevice } from './devices.mjs';

const failures = [];
const expect = (ok, what) => {
  if (!ok) failures.push(what);
};
const expectLine = (lines, want) => expect(lines.includes(want), `no UART line "${want}"`);

function finished(r) {
  expect(r.status === 'exit' && r.exitCode === 0, `status ${r.status} ${r.exitCode} (${r.faults.join('; ')})`);
  const lines = r.uart.split('\n');
  for (const l of lines) if (l) console.log(`  | ${l}`);
  return lines;
}

// BMP280: chip id 0x58 at 0xd0; pressure and temperature (20 bits each) at 0xf7..0xfc.
const BMP280 = { 0xd0: 0x58, 0xf7: 0x65, 0xf8: 0x5a, 0xf9: 0xc0, 0xfa: 0x7e, 0xfb: 0xed, 0xfc: 0x00 };

function i2c(uf2) {
  const sensor = registerDevice(BMP280);
  const display = displayDevice();
  const refusing = { write: (() => { let n = 0; return () => ++n <= 2; })(), connect: () => true };
  // Holds SDA low when a register is read (not on the scan's probe).
  const holding = (() => {
    let addressed = false;
    return { connect: (read) => { if (!read) addressed = true; return true; }, read: () => (addressed ? undefined : 0xff), stop: () => { addressed = false; } };
  })();
  let bus;
  let sclPulses = 0;
  const setup = (mcu) => {
    bus = attachI2C(mcu, 0, { 0x76: sensor, 0x3c: display, 0x51: refusing, 0x70: holding });
    const scl = mcu.gpio[5];
    scl.addListener((state) => {
      if (scl.functionSelect !== 5 || state !== GPIOPinState.Low) return; // SIO, driven low
      sclPulses++;
      if (sclPulses === 9 && bus.held !== null) bus.releaseHeld();
    });
  };
  const r = runFirmware(uf2, { seconds: 2, setup });
  const lines = finished(r);
  expectLine(lines, 'init EINVAL 0');
  expectLine(lines, 'outside a task EPERM');
  expectLine(lines, 'chip id 1 58');
  expectLine(lines, 'measurement 65 5a c0 7e ed 00');
  expectLine(lines, 'display 3 17');
  expectLine(lines, 'nobody ENXIO ENXIO');
  expectLine(lines, 'data nak EIO');
  expectLine(lines, 'bad EINVAL EINVAL');
  expectLine(lines, 'scan 4 3c 51 70 76');
  expectLine(lines, 'timeout ETIMEDOUT then 1 58');
  expectLine(lines, 'cancel ECANCELED then 1 58');
  expectLine(lines, 'two tasks 0 0');
  expectLine(lines, 'stuck EIO then 1 58');
  const log = bus.log.join(' | ');
  // A register read: the pointer written, a repeated START, the byte read, STOP.
  expect(log.includes('S 76 W | w d0 | Sr 76 R | r 58 | P'), 'chip id read is not write, repeated START, read, STOP');
  expect(log.includes('S 76 W | w f7 | Sr 76 R | r 65 | r 5a | r c0 | r 7e | r ed | r 00 | P'), 'measurement read not as expected');
  expect(log.includes('S 50 W nak | P'), 'no STOP after the address NAK');
  expect(log.includes('S 51 W | w 01 | w 02 | w 03 nak | P'), 'no STOP right after the data NAK');
  expect(JSON.stringify(display.commands.slice(0, 2)) === '[174,175]', `display commands ${display.commands.slice(0, 2)}`);
  expect(display.data.slice(0, 16).every((v, i) => v === ((i + 1) * 15) & 0xff), 'display data differs');
  // The two tasks' frames: six whole frames, alternating.
  const frames = display.transfers.filter((t) => t.length === 8 && (t[1] === 0xaa || t[1] === 0xbb));
  expect(frames.length === 6, `${frames.length} whole frames from the two tasks, want 6`);
  expect(frames.every((f) => f.slice(1).every((b) => b === f[1])), 'a frame mixes bytes of both tasks');
  expect(frames.map((f) => f[1].toString(16)).join() === 'aa,bb,aa,bb,aa,bb', `frame order ${frames.map((f) => f[1].toString(16))}`);
  // Cut short by the timeout and the cancel: STOP follows the last byte read.
  const cut = bus.log.map((e, i) => (e === 'P' && bus.log[i - 1]?.startsWith('r ') ? i : -1)).filter((i) => i >= 0);
  expect(cut.length > 0, 'no STOP after a read');
  expect(sclPulses >= 9, `${sclPulses} SCL clocks by hand to free the bus, want 9`);
  const shortReads = [];
  let run = 0;
  for (const e of bus.log) {
    if (e.startsWith('r ')) run++;
    else if (e === 'P') {
      if (run > 6 && run < 64) shortReads.push(run);
      run = 0;
    }
  }
  console.log(`reads cut short by the timeout and the cancel: ${shortReads.join(', ')} bytes of 64`);
  expect(shortReads.length === 2, `${shortReads.length} reads cut short, want 2 (timeout, cancel)`);
}

const [mode, ...files] = process.argv.slice(2);
const modes = { i2c };
if (!modes[mode] || files.length < 1) {
  console.error('usage: check_periph.mjs i2c <firmware.uf2>');
  process.exit(2);
}
modes[mode](...files);
for (const f of failures) console.log(`FAIL ${f}`);
if (!failures.length) console.log('PASS');
process.exitCode = failures.length ? 1 : 0;
