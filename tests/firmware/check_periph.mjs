#!/usr/bin/env node
// Judges the RP2040 peripheral firmware tests, run in the emulator with
// device models attached (devices.mjs).
//
//   check_periph.mjs i2c <i2c_bus.uf2>   I2C: bytes on the bus, errors,
//                                        timeout, cancel, two tasks, a stuck bus
//   check_periph.mjs spi <spi_bus.uf2>   SPI: bytes both ways, bus time, modes,
//                                        cancel, two tasks
//   check_periph.mjs adc_pwm <adc_pwm.uf2>  ADC conversions and timed sampling,
//                                        PWM registers
//   check_periph.mjs blink <periph_blink.uf2>  the LEDs keep time while SPI
//                                        and I2C run flat out
//   check_periph.mjs button <button.uf2>  debounced button events, edge counts
//   check_periph.mjs example <sensor-display.uf2>  the example: readings,
//                                        display, page switch, LEDs
//
// Prints what it saw, then "PASS" or the failures; exit status 1 on any.
import { GPIOPinState, runFirmware } from '../../tools/emu/run.mjs';
import { attachI2C, attachSPI, displayDevice, registerDevice, ssd1306Device } from './devices.mjs';

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
  const losing = { loseArbitration: true };
  let bus;
  let sclPulses = 0; // SCL driven low by hand (SIO): the recoveries' clocks
  let heldPulses = 0;
  const setup = (mcu) => {
    bus = attachI2C(mcu, 0, { 0x76: sensor, 0x3c: display, 0x51: refusing, 0x52: losing, 0x70: holding });
    attachI2C(mcu, 1, { 0x76: registerDevice(BMP280) });
    const scl = mcu.gpio[5];
    scl.addListener((state) => {
      if (scl.functionSelect !== 5 || state !== GPIOPinState.Low) return;
      sclPulses++;
      if (bus.held !== null && ++heldPulses === 9) bus.releaseHeld();
    });
  };
  const r = runFirmware(uf2, { seconds: 2, setup });
  const lines = finished(r);
  expectLine(lines, 'init EINVAL 0');
  expectLine(lines, 'outside a task EPERM');
  const second = /^i2c1 0 6 65 00 in (\d+) us$/m.exec(r.uart);
  expect(second && Number(second[1]) >= 840 && Number(second[1]) < 840 + 60, `I2C1 at 100 kHz: "${/i2c1 .*/.exec(r.uart)?.[0]}", want the 6 bytes in 840 us (+ < 60)`);
  expectLine(lines, 'chip id 1 58');
  expectLine(lines, 'measurement 65 5a c0 7e ed 00');
  expectLine(lines, 'display 3 17');
  expectLine(lines, 'nobody ENXIO ENXIO');
  expectLine(lines, 'data nak EIO');
  expectLine(lines, 'bad EINVAL EINVAL');
  expectLine(lines, 'scan 5 3c 51 52 70 76');
  expectLine(lines, 'timeout ETIMEDOUT then 1 58');
  expectLine(lines, 'cancel ECANCELED then 1 58');
  expectLine(lines, 'two tasks 0 0');
  expectLine(lines, 'arbitration EIO then 1 58');
  // lost at the first data byte (18 bit times, 45 us), then 9 clocks and a STOP by hand
  const took = Number(/arbitration took (\d+) us/.exec(r.uart)?.[1]);
  expect(took < 200, `the lost arbitration took ${took} us to report, want it at once (< 200 us)`);
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
  // nine clocks after the lost arbitration, nine to free the held bus
  expect(sclPulses === 18, `${sclPulses} SCL clocks by hand to free the bus, want 2 x 9`);
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

// SPI: what the device saw on MOSI while chip select (GPIO 17) was low.
function spi(uf2) {
  const seen = []; // { byte, mode, us }
  const setup = (mcu) => {
    attachSPI(mcu, 0, (byte, mode) => { // mode: from SSPCR0's SPO and SPH bits
      if (mcu.gpio[17].value === GPIOPinState.Low) seen.push({ byte, mode, us: mcu.clock.nanos / 1000 });
      return ~byte;
    });
  };
  const r = runFirmware(uf2, { seconds: 2, setup });
  const lines = finished(r);
  expectLine(lines, 'init -22 0 992063');
  expectLine(lines, 'exchange 4 60 fe fd fc read 3 a5 a5 a5');
  const write = lines.find((l) => l.startsWith('write '));
  const took = Number(/in (\d+) us/.exec(write ?? '')?.[1]);
  // 1024 bytes at 992,063 Hz: 8,257 us on the wire, plus the set-up and the wake-up
  expect(/^write 1024 in \d+ us$/.test(write ?? '') && took >= 8257 && took < 8257 + 100, `"${write}": want 1024 bytes in 8,257 us (+ < 100)`);
  expectLine(lines, 'cancel ECANCELED then 2');
  expectLine(lines, 'two tasks 0 0');
  expectLine(lines, 'mode 3 0 8928571 2 c3 a5');
  const bytes = seen.map((s) => s.byte);
  const at = (want, from = 0) => {
    for (let i = from; i + want.length <= bytes.length; i++) if (want.every((b, k) => bytes[i + k] === b)) return i;
    return -1;
  };
  expect(at([0x9f, 1, 2, 3, 0x5a, 0x5a, 0x5a]) === 0, `first bytes ${bytes.slice(0, 7)}`);
  const pattern = Array.from({ length: 1024 }, (_, i) => (i * 7) & 0xff);
  expect(at(pattern) === 7, 'the 1024-byte write did not reach the device whole');
  // The cancelled 4096-byte write: cut after about 5 ms (about 620 bytes),
  // then the next write, nothing in between.
  const after = at([0xc0, 0xde]);
  const cancelled = bytes.slice(7 + 1024, after);
  console.log(`cancelled write: ${cancelled.length} of 4096 bytes went out`);
  expect(cancelled.length > 500 && cancelled.length < 700, `${cancelled.length} bytes of the cancelled write went out, want about 620`);
  expect(cancelled.every((b) => b === 0x11), 'other bytes between the cancelled write and the next');
  const frames = bytes.slice(after + 2, after + 2 + 48);
  const order = [];
  for (let f = 0; f < 6; f++) {
    const frame = frames.slice(f * 8, f * 8 + 8);
    expect(frame.every((b) => b === frame[0]), `frame ${f} mixes bytes: ${frame}`);
    order.push(frame[0]?.toString(16));
  }
  expect(order.join() === 'aa,bb,aa,bb,aa,bb', `frame order ${order}`);
  const last = seen.slice(-2);
  expect(last.map((s) => `${s.byte.toString(16)}/${s.mode}`).join() === '3c/3,5a/3', `last bytes ${last.map((s) => `${s.byte.toString(16)}/${s.mode}`)}, want 3c and 5a in mode 3`);
  expect(seen.slice(0, -2).every((s) => s.mode === 0), 'a byte before the mode 3 ones went out in another mode');
}

// ADC: fixed values on channels 0 and 4, a ramp on channel 2 (its k-th
// conversion reads 100 k + 5); PWM: slice 4's registers (GPIO 24, 25).
function adc_pwm(uf2) {
  const conversions = []; // { channel, us }
  let regs = null;
  const setup = (mcu) => {
    const { adc } = mcu;
    adc.channelValues = [1234, 0, 0, 0, 876];
    let k = 0;
    const done = mcu.clock.createAlarm(() => adc.completeADCRead(pendingValue, false));
    let pendingValue = 0;
    adc.onADCRead = (channel) => {
      conversions.push({ channel, us: mcu.clock.nanos / 1000 });
      pendingValue = channel === 2 ? 100 * k++ + 5 : adc.channelValues[channel];
      done.schedule(adc.sampleTime * 1000);
    };
    regs = () => {
      const base = 0x40050000 + 0x14 * 4;
      const [csr, div, , cc, top] = [0, 4, 8, 12, 16].map((o) => mcu.readUint32(base + o));
      return { csr, div, cc, top };
    };
  };
  const r = runFirmware(uf2, { seconds: 1, setup });
  const lines = finished(r);
  const u16 = (raw) => (raw << 4) | (raw >> 8);
  expectLine(lines, 'adc init 0 0 0 -22');
  expectLine(lines, `single ${u16(1234)} ${u16(5)} ${u16(876)}`);
  const ramp = Array.from({ length: 16 }, (_, i) => u16(100 * (i + 1) + 5));
  const timed = lines.find((l) => l.startsWith('timed ')) ?? '';
  expect(timed.endsWith(': ' + ramp.join(' ')), `"${timed}": want the ramp ${ramp.join(' ')}`);
  const took = Number(/in (\d+) us/.exec(timed)?.[1]);
  expect(took >= 1500 && took <= 1600, `16 samples at 10 kHz took ${took} us, want 1,500 .. 1,600`);
  // the ramp's conversions: 100 us apart
  const ch2 = conversions.filter((c) => c.channel === 2).slice(1, 17).map((c) => c.us);
  const gaps = ch2.slice(1).map((t, i) => t - ch2[i]);
  expect(gaps.length === 15 && gaps.every((g) => Math.abs(g - 100) < 0.1), `conversion spacing ${gaps.map((g) => g.toFixed(2))}`);
  expect(lines.some((l) => /^timeout ETIMEDOUT then \d+$/.test(l) && Number(l.split(' ')[3]) === u16(1234)), 'the ADC does not work after a timed-out sampling');
  expectLine(lines, 'pwm 0 0 1000 32768');
  expectLine(lines, 'pwm 50 Hz 0 50 49152 16384');
  expectLine(lines, 'pwm bad -22 -22');
  const ns = Number(lines.find((l) => l.startsWith('pwm ns '))?.split(' ')[2]);
  const { csr, div, cc, top } = regs();
  const tick = (div / 16) * 8; // ns a count at 125 MHz
  console.log(`slice 4: CSR ${csr} DIV ${div / 16} TOP ${top} CC A ${cc & 0xffff} B ${cc >>> 16}; duty_ns ${ns}`);
  expect(csr & 1, 'slice 4 is not enabled');
  const freq = 125e6 / ((div / 16) * (top + 1));
  expect(Math.abs(freq - 50) < 0.01, `slice 4 runs at ${freq} Hz, want 50`);
  expect(Math.abs((cc & 0xffff) / (top + 1) - 0.25) < 1 / (top + 1), `channel A duty ${(cc & 0xffff) / (top + 1)}, want 0.25`);
  expect(Math.abs((cc >>> 16) * tick - 5e6) <= tick, `channel B high for ${(cc >>> 16) * tick} ns, want 5 ms`);
  expect(Math.abs(ns - 5e6) <= tick, `duty_ns reads ${ns}`);
}

// The blink LEDs while SPI streams and I2C polls: every period of GPIO 19
// (0.5 s) and GPIO 20 (2 s) is its length plus at most one wake-up's
// latency, as in the blink test, and both buses kept busy.
const BLINK_SECONDS = 6;
const WAKE_LATENCY_LIMIT_US = 30;

function checkPeriods(r, gpio, periodUs) {
  let level = 0;
  const toggles = [];
  for (const e of r.edges.filter((x) => x.gpio === gpio)) {
    if (e.level !== level) toggles.push(e.us);
    level = e.level;
  }
  const periods = toggles.slice(1).map((t, i) => t - toggles[i]);
  const want = Math.floor((BLINK_SECONDS * 1e6 - toggles[0]) / periodUs) + 1;
  console.log(`GPIO ${gpio}: ${toggles.length} toggles, periods ${Math.min(...periods).toFixed(3)} .. ${Math.max(...periods).toFixed(3)} us`);
  expect(toggles.length === want, `GPIO ${gpio}: ${toggles.length} toggles, want ${want}`);
  expect(periods.every((p) => p >= periodUs && p <= periodUs + WAKE_LATENCY_LIMIT_US),
    `GPIO ${gpio}: a period is outside ${periodUs} .. ${periodUs + WAKE_LATENCY_LIMIT_US} us`);
}

function blink(uf2) {
  let spiBytes = 0;
  let bus;
  const setup = (mcu) => {
    attachSPI(mcu, 1, () => {
      spiBytes++;
      return 0;
    });
    bus = attachI2C(mcu, 0, { 0x76: registerDevice(BMP280) });
  };
  const r = runFirmware(uf2, { seconds: BLINK_SECONDS, setup });
  expect(r.status === 'timeout', `status ${r.status} (${r.faults.join('; ')}), want it still running`);
  checkPeriods(r, 19, 500000);
  checkPeriods(r, 20, 2000000);
  const reads = bus.log.filter((e) => e === 'P').length;
  // 1 MHz: 125,000 bytes/s; 400 kHz: a 64-byte register read is 606 bit times (1,515 us)
  console.log(`meanwhile: ${spiBytes} SPI bytes, ${reads} I2C reads of 64 bytes in ${BLINK_SECONDS} s`);
  expect(spiBytes > 0.95 * 125000 * BLINK_SECONDS, `only ${spiBytes} SPI bytes: the bus was idle`);
  expect(reads > 0.9 * (BLINK_SECONDS * 1e6) / 1515, `only ${reads} I2C reads: the bus was idle`);
}

// Buttons: GPIO 14 pressed with bounces (a click, a double click, a long
// press; the firmware's loop clock starts about 1 ms after the emulator's); GPIO 15 pulsed ten times, 1 ms apart, from 10 ms.
function button(uf2) {
  const drives = [{ gpio: 14, level: 1, us: 0 }, { gpio: 15, level: 0, us: 0 }];
  const press = (ms, upMs) => {
    for (const [t, l] of [[0, 0], [1, 1], [2, 0]]) drives.push({ gpio: 14, level: l, us: (ms + t) * 1000 });
    for (const [t, l] of [[0, 1], [1, 0], [2, 1]]) drives.push({ gpio: 14, level: l, us: (upMs + t) * 1000 });
  };
  press(100, 200); // a click
  press(700, 750); // a double click: the second press 150 ms after the first
  press(850, 900);
  press(1300, 2800); // a long press
  for (let i = 0; i < 10; i++) {
    drives.push({ gpio: 15, level: 1, us: 10000 + i * 1000 }, { gpio: 15, level: 0, us: 10500 + i * 1000 });
  }
  const r = runFirmware(uf2, { seconds: 4, drives });
  const lines = finished(r);
  expectLine(lines, 'init 0 0');
  // each event 20 ms (the debounce) after the first edge; LONG 1 s after the press
  const want = [['press', 120], ['release', 220], ['press', 720], ['release', 770], ['press', 870], ['double', 870],
    ['release', 920], ['press', 1320], ['long', 2320], ['release', 2820]];
  const got = lines.filter((l) => l.startsWith('button ')).map((l) => /button (\w+) at (\d+) ms/.exec(l));
  expect(got.length === want.length, `${got.length} button events, want ${want.length}`);
  for (const [i, [name, ms]] of want.entries()) {
    const g = got[i];
    expect(g && g[1] === name && Number(g[2]) <= ms && Number(g[2]) >= ms - 2, `event ${i}: "${g?.[0]}", want ${name} at ${ms} ms`);
  }
  const counters = lines.filter((l) => l.startsWith('counter '));
  expectLine(counters, 'counter 0: 20 edges (10 rising, 10 falling) in 20 waits');
  // the busy one was away during all the pulses: one wait reports them all
  expectLine(counters, 'counter 50: 20 edges (10 rising, 10 falling) in 1 waits');
}

// The sensor-display example: a BMP280 with its datasheet's worked example
// (calibration and raw readings: 25.08 C, 100653 Pa) and an SSD1306 on
// I2C0; the button on GPIO 14 pressed at 2.3 s.
function example(uf2) {
  const calibration = [27504, 26435, -1000, 36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000];
  const regs = { 0xd0: 0x58 };
  calibration.forEach((v, i) => {
    regs[0x88 + 2 * i] = v & 0xff;
    regs[0x89 + 2 * i] = (v >> 8) & 0xff;
  });
  [415148, 519888].forEach((raw, i) => {
    regs[0xf7 + 3 * i] = (raw >> 12) & 0xff;
    regs[0xf8 + 3 * i] = (raw >> 4) & 0xff;
    regs[0xf9 + 3 * i] = (raw << 4) & 0xff;
  });
  const sensor = registerDevice(regs);
  const display = ssd1306Device();
  const setup = (mcu) => attachI2C(mcu, 0, { 0x76: sensor, 0x3c: display });
  const drives = [{ gpio: 14, level: 1, us: 0 }, { gpio: 14, level: 0, us: 2300000 }, { gpio: 14, level: 1, us: 2450000 }];
  const r = runFirmware(uf2, { seconds: BLINK_SECONDS, setup, drives });
  expect(r.status === 'timeout', `status ${r.status} (${r.faults.join('; ')}), want it still running`);
  const lines = r.uart.split('\n').filter(Boolean);
  for (const l of lines.slice(0, 4)) console.log(`  | ${l}`);
  const readings = lines.filter((l) => l.startsWith('reading '));
  expect(readings.length === BLINK_SECONDS && readings.every((l) => l === 'reading 25.08 C 100653 Pa'),
    `readings: ${readings.join(', ')}`);
  expectLine(lines, 'page 1');
  expect(sensor.mem[0xf4] === 0x27 && sensor.mem[0xf5] === 0x20, 'the sensor was not set to normal mode');
  expect(display.commands.slice(0, 10).map((b) => b.toString(16)).join() === 'ae,20,0,a1,c8,81,7f,8d,14,af',
    `display set-up ${display.commands.slice(0, 10).map((b) => b.toString(16))}`);
  expect(display.on, 'the display is off');
  // a frame a second, and one more for the page switch; the switch changes the picture
  expect(display.frames === BLINK_SECONDS + 1, `${display.frames} frames, want ${BLINK_SECONDS + 1}`);
  const lit = (f) => f.flat().filter((b) => b).length;
  const [first, , , last] = [display.snapshots[0], 0, 0, display.snapshots.at(-1)];
  expect(first && lit(first) > 0, 'the first frame is blank');
  expect(JSON.stringify(first) !== JSON.stringify(last), 'the page switch did not change the picture');
  checkPeriods(r, 19, 500000);
  checkPeriods(r, 20, 2000000);
}

const [mode, ...files] = process.argv.slice(2);
const modes = { i2c, spi, adc_pwm, blink, button, example };
if (!modes[mode] || files.length < 1) {
  console.error('usage: check_periph.mjs i2c|spi|adc_pwm|blink|button|example <firmware.uf2>');
  process.exit(2);
}
modes[mode](...files);
for (const f of failures) console.log(`FAIL ${f}`);
if (!failures.length) console.log('PASS');
process.exitCode = failures.length ? 1 : 0;
