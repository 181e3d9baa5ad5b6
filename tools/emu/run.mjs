#!/usr/bin/env node
// Runs RP2040 firmware in the rp2040js emulator and reports what it did.
//
//   node tools/emu/run.mjs <firmware.uf2|.bin> [options]
//     --seconds S        simulated seconds to run at most (default 10)
//     --drive G=L@US     drive input GPIO G to level L at simulated time US
//                        (repeatable; "--drive 2=1@1000,2=0@2000" also works)
//     --uart US:TEXT     send TEXT to UART0's RX from simulated time US, one
//                        character time apart (repeatable; \n \r \t \\ \xHH)
//     --uart-tx-timing   send UART0's output at the baud rate through a 32-byte
//                        FIFO, as the chip does (default: instantly)
//     --uart1 US:TEXT    the same for UART1's RX (--uart1-tx-timing too);
//                        its output is printed as "uart1 ..." lines
//     --json             print one JSON object instead of lines
//     --quiet-uart       do not echo the UART in line mode
//     --bootrom PATH     load this boot ROM (pico-sdk firmware calls ROM
//                        functions; the RP2040 B1 ROM, 16,384 bytes)
//     --usb US:TEXT      attach a USB CDC host (usb_host.mjs) and send TEXT
//                        from simulated time US (repeatable; --usb '' only
//                        attaches it); what the device prints is echoed
//
// It starts the CPU as the boot ROM would hand over to boot2 (PC = 0x10000000,
// SP = top of SRAM, LR = 0), runs instructions at the CPU clock the firmware
// set up (so cycles and simulated microseconds agree), and when the CPU
// sleeps (WFE/WFI) jumps straight to the next timer event or input change.
// It stops when the firmware exits or halts, at a fault, or at the time limit.
//
// Exit status: the firmware's exit status if it called exit(), 0 when time ran
// out or the firmware halted, 1 on a fault (bad instruction, bad address,
// breakpoint, boot2 CRC mismatch, fault message on the UART), 2 on bad usage.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { GPIOPinState, RP2040 } from 'rp2040js';

export { GPIOPinState }; // for checks that watch pins themselves (no rp2040js import path of their own)
import { checkBoot2 } from '../boot2_crc.mjs';
import { uf2ToFlash } from '../uf2.mjs';
import { attachUsbCdc } from './usb_host.mjs';

export const SRAM_TOP = 0x20042000;
export const BOOT2_ENTRY = 0x10000000;
// Where the boot ROM leaves the stack pointer when it enters boot2.
export const ROM_BOOT2_SP = 0x20041f00;
const ROM_SIZE = 0x4000;
const EXIT_LINE = /casyncio: exit (-?\d+)/;
const FAULT_LINE = /casyncio: (hard fault|unexpected exception|abort|task '.*' overflowed)/;

export function loadImage(path) {
  const data = new Uint8Array(readFileSync(path));
  return path.endsWith('.uf2') ? uf2ToFlash(data).flash : data;
}

// Collects the emulator's complaints; the ones that mean the firmware did
// something a real chip would fault on are faults.
function makeLogger(result) {
  // rp2040js has no XIP cache controller (0x14000000): pico-sdk's start-up
  // writes to it, harmlessly for a program that runs in the emulator.
  const xipCtrl = /(undefined|invalid memory) address: 1400[0-9a-f]{4}$/i;
  const isFault = (msg) => /not implemented|invalid memory|undefined address|not 32 bit aligned/i.test(msg) && !xipCtrl.test(msg);
  const note = (level) => (component, msg) => {
    const text = `${level} [${component}] ${msg}`;
    if (level === 'error' || isFault(msg)) result.faults.push(text);
    else if (level === 'warn') result.warnings.push(text);
  };
  return { debug() {}, info() {}, warn: note('warn'), error: note('error') };
}

function watchPins(mcu, clock, result) {
  mcu.gpio.forEach((pin, gpio) => {
    pin.addListener((state) => {
      if (state !== GPIOPinState.High && state !== GPIOPinState.Low) return;
      if (gpio <= 1 && pin.functionSelect !== 5) return; // UART pins
      if (pin.functionSelect === 2) return; // any pin routed to a UART (UART1 on 4/5)
      result.edges.push({
        gpio, level: state === GPIOPinState.High ? 1 : 0,
        us: clock.nanos / 1000, cycles: mcu.core.cycles, instructions: result.instructions,
      });
    });
  });
}

// result.uart is UART0's output without '\r'; result.uartLines has each line
// with the simulated times its first byte (firstUs) and its '\n' (us) came out.
// UART1's: result.uart1 and result.uart1Lines.
const uartKey = (index, name) => (index ? name.replace('uart', 'uart1') : name);

function watchUart(mcu, clock, result, index = 0) {
  let line = '';
  let firstUs = null;
  const text = uartKey(index, 'uart');
  const lines = uartKey(index, 'uartLines');
  mcu.uart[index].onByte = (byte) => {
    const ch = String.fromCharCode(byte);
    firstUs ??= clock.nanos / 1000;
    if (ch === '\r') return;
    result[text] += ch;
    if (ch !== '\n') {
      line += ch;
      return;
    }
    result[lines].push({ firstUs, us: clock.nanos / 1000, text: line });
    firstUs = null;
    const exit = EXIT_LINE.exec(line);
    if (exit) result.exitCode = Number(exit[1]);
    if (FAULT_LINE.test(line)) result.faults.push('firmware: ' + line);
    line = '';
  };
}

function applyDrives(mcu, clock, drives, result) {
  while (drives.length && drives[0].us * 1000 <= clock.nanos) {
    const { gpio, level } = drives.shift();
    mcu.gpio[gpio].setInputValue(!!level);
    result.drives.push({ gpio, level, us: clock.nanos / 1000, cycles: mcu.core.cycles, instructions: result.instructions });
  }
}

// What a terminal on UART0's (or UART `index`'s) RX pin sends: each entry's bytes ({us, text}
// as UTF-8, or {us, bytes}) from its time
// (or from the end of the previous entry, the line being busy till then),
// one character (10 bits at the baud rate the firmware set) apart. Bytes
// that find the emulated 32-byte RX FIFO full are lost, as on the chip;
// result.uartRx (result.uart1Rx) counts what was sent and what was lost that way.
function uartFeeder(mcu, inputs, result, index = 0) {
  const uart = mcu.uart[index];
  const rx = uartKey(index, 'uartRx');
  const queue = [...inputs].sort((a, b) => a.us - b.us)
    .map(({ us, text, bytes }) => ({ ns: us * 1000, bytes: bytes ? [...bytes] : [...Buffer.from(text, 'utf8')] }))
    .filter((entry) => entry.bytes.length);
  const charNanos = () => (10 * 1e9) / (uart.baudDivider ? uart.baudRate : 115200);
  let lineFreeNs = 0;
  let nextNs = queue.length ? queue[0].ns : Infinity;
  result[rx] = { sent: 0, lostInFifo: 0, newlines: [] }; // newlines: when each '\n' went in, us
  return {
    get nextNanos() { return nextNs; },
    apply(clock) {
      while (nextNs <= clock.nanos) {
        const entry = queue[0];
        if (uart.rxFIFO.full) result[rx].lostInFifo++;
        const byte = entry.bytes.shift();
        uart.feedByte(byte);
        result[rx].sent++;
        if (byte === 10) result[rx].newlines.push(nextNs / 1000);
        lineFreeNs = nextNs + charNanos();
        if (!entry.bytes.length) queue.shift();
        nextNs = queue.length ? Math.max(queue[0].ns, lineFreeNs) : Infinity;
      }
    },
  };
}

// rp2040js sends a UART byte the instant it is written and always reports
// room in the TX FIFO. With uartTxTiming, UART0's transmitter is modelled as
// a PL011's: a 32-byte FIFO (1 deep without FEN), one character time per
// byte on the wire (the byte reaches onByte when its stop bit ends), TXFF,
// TXFE and BUSY in UARTFR, and the TX interrupt raised while the FIFO is at
// or below the UARTIFLS level. Off by default: a polled console then takes
// real time, which would move the timing other tests measure.
const UARTDR = 0x0, UARTFR = 0x18, UARTIFLS = 0x34;
const FR_BUSY = 1 << 3, FR_TXFF = 1 << 5, FR_TXFE = 1 << 7, TXINTR = 1 << 5;

function modelUartTx(mcu, clock, index = 0) {
  const uart = mcu.uart[index];
  const fifo = [];
  let ifls = 0x12; // reset value: both levels 1/2
  let wire = null; // { byte, doneNs }: the character being sent
  const charNanos = () => (10 * 1e9) / (uart.baudDivider ? uart.baudRate : 115200);
  const depth = () => (uart.fifosEnabled ? 32 : 1);
  const rxFlags = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(uart), 'flags').get;
  Object.defineProperty(uart, 'flags', {
    get() {
      const tx = (fifo.length ? 0 : FR_TXFE) | (fifo.length >= depth() ? FR_TXFF : 0) | (wire || fifo.length ? FR_BUSY : 0);
      return (rxFlags.call(uart) & ~(FR_TXFE | FR_TXFF | FR_BUSY)) | tx;
    },
  });
  uart.checkInterrupts = function () {
    const level = [4, 8, 16, 24, 28][ifls & 7] ?? 16;
    if (fifo.length <= level) this.interruptStatus |= TXINTR;
    else this.interruptStatus &= ~TXINTR;
    this.rp2040.setInterrupt(this.irq, !!(this.interruptStatus & this.interruptMask));
  };
  const startNext = (fromNs) => {
    wire = fifo.length ? { byte: fifo.shift(), doneNs: fromNs + charNanos() } : null;
    uart.checkInterrupts();
  };
  const read = uart.readUint32.bind(uart);
  const write = uart.writeUint32.bind(uart);
  uart.readUint32 = (offset) => (offset === UARTIFLS ? ifls : read(offset));
  uart.writeUint32 = (offset, value) => {
    if (offset === UARTIFLS) {
      ifls = value & 0x3f;
      uart.checkInterrupts();
    } else if (offset === UARTDR) {
      if (fifo.length < depth()) fifo.push(value & 0xff); // a full FIFO drops the write
      if (!wire) startNext(clock.nanos);
      else uart.checkInterrupts();
    } else {
      write(offset, value);
    }
  };
  return {
    get nextNanos() { return wire ? wire.doneNs : Infinity; },
    apply() {
      while (wire && wire.doneNs <= clock.nanos) {
        uart.onByte?.(wire.byte);
        startNext(wire.doneNs);
      }
    },
  };
}

const instantTx = { nextNanos: Infinity, apply() {} };
const noUsbHost = { nextNanos: Infinity, apply() {} };

// Time of the next thing that can wake a sleeping CPU, in ns (Infinity: none).
// sources: objects with nextNanos (UART feeders and transmitters, USB host).
function nextWakeNanos(clock, drives, sources) {
  const alarm = clock.nextAlarm ? clock.nextAlarm.nanos : Infinity;
  const drive = drives.length ? drives[0].us * 1000 : Infinity;
  return Math.min(alarm, drive, ...sources.map((source) => source.nextNanos));
}

function stopReason(mcu, result, romLoaded) {
  if (result.faults.length) return 'fault';
  if (result.exitCode !== null) return 'exit';
  const { core } = mcu;
  if (core.waiting && core.PM) return 'halted';
  const pc = core.PC >>> 0;
  const inRom = romLoaded && pc < ROM_SIZE;
  if (!inRom && !(pc >= 0x10000000 && pc < 0x10200000) && !(pc >= 0x20000000 && pc < SRAM_TOP)) {
    result.faults.push(`pc 0x${pc.toString(16)} outside ${romLoaded ? 'ROM, ' : ''}flash and SRAM`);
    return 'fault';
  }
  return null;
}

// bootrom: the ROM's bytes, or null (firmware that never calls the ROM).
// (loadBootrom resets the chip and erases the flash: it goes first.)
function boot(mcu, flash, bootrom) {
  if (bootrom) mcu.loadBootrom(new Uint32Array(bootrom.buffer, bootrom.byteOffset, bootrom.length / 4));
  mcu.flash.set(flash);
  const { core } = mcu;
  core.PC = BOOT2_ENTRY;
  core.SP = bootrom ? ROM_BOOT2_SP : SRAM_TOP;
  core.LR = 0;
}

// Runs the firmware; returns everything observed (see the file comment).
// uartInput: [{ us, text } or { us, bytes }], see uartFeeder; uartTxTiming:
// see modelUartTx; uart1Input, uart1TxTiming: the same for UART1; bootrom: path of a boot ROM image to load; usb: null, or
// [{ us, text }] to attach a USB CDC host that sends them (usb_host.mjs:
// result.usb, result.usbLines, result.usbConnectedUs). setup(mcu, result):
// called once the image is loaded, before the first instruction, to attach
// device models (I2C, SPI, ADC values) to the emulated chip; whatever it
// schedules on mcu.clock also ends a sleeping CPU's wait.
export function runFirmware(path, {
  seconds = 10, drives = [], uartInput = [], uartTxTiming = false, uart1Input = [],
  uart1TxTiming = false, bootrom = null, usb = null, setup = null,
} = {}) {
  const flash = loadImage(path);
  const result = {
    firmware: path, boot2: checkBoot2(flash), status: 'timeout', exitCode: null,
    us: 0, cycles: 0, instructions: 0, uart: '', uartLines: [], uart1: '', uart1Lines: [],
    edges: [], drives: [], faults: [], warnings: [],
  };
  if (!result.boot2.ok) result.faults.push('boot2 CRC mismatch: the boot ROM would not start this image');
  const mcu = new RP2040();
  const { clock, core } = mcu;
  mcu.logger = makeLogger(result);
  mcu.core.rp2040.onBreak = (code) => result.faults.push(`breakpoint ${code} at pc 0x${(core.PC >>> 0).toString(16)}`);
  watchPins(mcu, clock, result);
  watchUart(mcu, clock, result);
  watchUart(mcu, clock, result, 1);
  boot(mcu, flash, bootrom ? new Uint8Array(readFileSync(bootrom)) : null);
  setup?.(mcu, result);
  const usbHost = usb ? attachUsbCdc(mcu, usb, result) : noUsbHost;
  const pending = [...drives].sort((a, b) => a.us - b.us);
  const feeders = [uartFeeder(mcu, uartInput, result), uartFeeder(mcu, uart1Input, result, 1)];
  const txs = [uartTxTiming ? modelUartTx(mcu, clock) : instantTx,
    uart1TxTiming ? modelUartTx(mcu, clock, 1) : instantTx];
  const sources = [...feeders, ...txs, usbHost];
  const endNanos = seconds * 1e9;
  while (clock.nanos < endNanos) {
    applyDrives(mcu, clock, pending, result);
    for (const feeder of feeders) feeder.apply(clock);
    for (const tx of txs) tx.apply();
    usbHost.apply();
    const reason = stopReason(mcu, result, !!bootrom);
    if (reason) {
      result.status = reason;
      break;
    }
    if (core.waiting) {
      clock.tick(Math.max(0, Math.min(nextWakeNanos(clock, pending, sources), endNanos) - clock.nanos));
      continue;
    }
    const cycles = core.executeInstruction();
    result.instructions++;
    clock.tick((cycles * 1e9) / mcu.clkSys);
  }
  result.us = clock.nanos / 1000;
  result.cycles = core.cycles;
  result.clkSys = mcu.clkSys;
  return result;
}

// "US:TEXT" with C-like escapes, as --uart takes it: TEXT as UTF-8, \xHH
// as that one byte.
export function parseUartInput(specs) {
  const simple = { n: '\n', r: '\r', t: '\t' };
  const toBytes = (t) => t.split(/(\\x[0-9a-fA-F]{2}|\\.)/).flatMap((part) => {
    if (/^\\x/.test(part)) return [parseInt(part.slice(2), 16)];
    if (part[0] === '\\' && part.length === 2) return [...Buffer.from(simple[part[1]] ?? part[1])];
    return [...Buffer.from(part, 'utf8')];
  });
  return specs.map((spec) => {
    const m = /^(\d+(?:\.\d+)?):([\s\S]*)$/.exec(spec);
    if (!m) throw new Error(`bad --uart "${spec}": want MICROSECONDS:TEXT`);
    return { us: Number(m[1]), bytes: toBytes(m[2]) };
  });
}

export function parseDrives(specs) {
  return specs.flatMap((spec) => spec.split(',')).map((item) => {
    const m = /^(\d+)=([01])@(\d+(?:\.\d+)?)$/.exec(item.trim());
    if (!m) throw new Error(`bad --drive "${item}": want GPIO=LEVEL@MICROSECONDS`);
    return { gpio: Number(m[1]), level: Number(m[2]), us: Number(m[3]) };
  });
}

function printLines(r, echoUart) {
  const hex = (v) => '0x' + v.toString(16).padStart(8, '0');
  console.log(`boot2 crc ${r.boot2.ok ? 'ok' : 'BAD'} ${hex(r.boot2.stored)}`);
  if (echoUart) for (const line of r.uart.split('\n').filter(Boolean)) console.log(`uart ${line}`);
  if (echoUart) for (const line of r.uart1.split('\n').filter(Boolean)) console.log(`uart1 ${line}`);
  if (r.usbConnectedUs !== undefined) console.log(`usb connected at ${r.usbConnectedUs} us`);
  for (const l of r.usbLines ?? []) console.log(`usb ${l.text} (at ${l.us} us)`);
  for (const e of r.drives) console.log(`drive gpio ${e.gpio} ${e.level} at ${e.us} us cycle ${e.cycles}`);
  for (const e of r.edges) console.log(`edge gpio ${e.gpio} ${e.level} at ${e.us} us cycle ${e.cycles}`);
  if (r.uartRx.sent) console.log(`uart rx ${r.uartRx.sent} bytes sent, ${r.uartRx.lostInFifo} lost in a full FIFO`);
  if (r.uart1Rx.sent) console.log(`uart1 rx ${r.uart1Rx.sent} bytes sent, ${r.uart1Rx.lostInFifo} lost in a full FIFO`);
  for (const f of r.faults) console.log(`fault ${f}`);
  const exit = r.exitCode === null ? '' : ` ${r.exitCode}`;
  console.log(`status ${r.status}${exit} at ${r.us} us, ${r.cycles} cycles, ${r.instructions} instructions`);
}

function main(argv) {
  const opts = { seconds: 10, drives: [], uart: [], txTiming: false, uart1: [], tx1Timing: false, json: false, echoUart: true, bootrom: null, usb: null };
  let path = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seconds') opts.seconds = Number(argv[++i]);
    else if (arg === '--drive') opts.drives.push(argv[++i]);
    else if (arg === '--uart') opts.uart.push(argv[++i]);
    else if (arg === '--uart-tx-timing') opts.txTiming = true;
    else if (arg === '--uart1') opts.uart1.push(argv[++i]);
    else if (arg === '--uart1-tx-timing') opts.tx1Timing = true;
    else if (arg === '--json') opts.json = true;
    else if (arg === '--quiet-uart') opts.echoUart = false;
    else if (arg === '--bootrom') opts.bootrom = argv[++i];
    else if (arg === '--usb') (opts.usb ??= []).push(argv[++i]);
    else if (!path && !arg.startsWith('--')) path = arg;
    else path = null, i = argv.length;
  }
  if (!path || !(opts.seconds > 0)) {
    console.error('usage: run.mjs <firmware.uf2|.bin> [--seconds S] [--drive G=L@US] [--uart US:TEXT] [--uart-tx-timing] [--uart1 US:TEXT] [--uart1-tx-timing] [--json] [--quiet-uart] [--bootrom PATH] [--usb US:TEXT]');
    return 2;
  }
  const r = runFirmware(path, {
    seconds: opts.seconds, drives: parseDrives(opts.drives), uartInput: parseUartInput(opts.uart),
    uartTxTiming: opts.txTiming, uart1Input: parseUartInput(opts.uart1), uart1TxTiming: opts.tx1Timing,
    bootrom: opts.bootrom,
    usb: opts.usb && parseUartInput(opts.usb.filter(Boolean)).map(({ us, bytes }) => ({ us, text: Buffer.from(bytes).toString('utf8') })),
  });
  if (opts.json) console.log(JSON.stringify(r));
  else printLines(r, opts.echoUart);
  if (r.status === 'fault') return 1;
  return r.status === 'exit' ? r.exitCode & 0xff : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
