// Device models for the firmware tests, attached to rp2040js' I2C and SPI
// controllers. Each bus event takes its time on the emulated clock (9 bit
// times an I2C byte, 8 an SPI byte, at the rate the firmware programmed), so
// transfers last as long as on a real bus and the CPU can sleep through them.
//
// An I2C device is an object with any of:
//   connect(read) -> bool   the address phase (true: ACK)
//   write(byte) -> bool     a written byte (true: ACK)
//   read() -> byte          the next byte the device sends; `undefined`
//                           holds the bus (SDA low) until released
//   stop()                  STOP
//   loseArbitration: true   another master wins the bus at the first data byte
// The bus log (bus.log) is a list of strings: 'S 76 W', 'Sr 76 R' (repeated
// START), 'w d0', 'r 58', 'nak', 'P'.

// rp2040js' I2C clocks: a bit is (high count + low count) clk_sys cycles.
function i2cBitNanos(i2c, clkSys) {
  return ((i2c.fsClockHighPeriod + i2c.fsClockLowPeriod) * 1e9) / clkSys;
}

// rp2040js 1.4.1 ignores writes to IC_INTR_MASK (its interrupts stay
// masked for good): the register is modelled here as the datasheet has it.
const IC_INTR_MASK = 0x30;
function modelInterruptMask(i2c) {
  const write = i2c.writeUint32.bind(i2c);
  i2c.writeUint32 = (offset, value) => {
    if (offset !== IC_INTR_MASK) return write(offset, value);
    i2c.intEnable = value & 0x1fff;
    i2c.checkInterrupts();
  };
}

export function attachI2C(mcu, index, devices) {
  const i2c = mcu.i2c[index];
  modelInterruptMask(i2c);
  // lastStopCycles: the CPU's cycle count when the last STOP completed
  const bus = { log: [], held: null, releaseHeld: null, lastStopCycles: 0 };
  let next = null;
  const alarm = mcu.clock.createAlarm(() => {
    const fn = next;
    next = null;
    fn?.();
  });
  const later = (bits, fn) => {
    next = fn;
    alarm.schedule(bits * i2cBitNanos(i2c, mcu.clkSys));
  };
  let device = null;
  let address = 0;
  const hex = (v) => v.toString(16).padStart(2, '0');
  i2c.onStart = (repeated) => later(1, () => i2c.completeStart(repeated));
  i2c.onConnect = (addr, mode) => {
    const read = mode === 1;
    address = addr;
    device = devices[addr] ?? null;
    const ack = !!device && (device.connect ? device.connect(read) : true);
    const last = bus.log.at(-1);
    const repeated = last !== undefined && last !== 'P' && last !== 'nak P';
    bus.log.push(`${repeated ? 'Sr' : 'S'} ${hex(addr)} ${read ? 'R' : 'W'}${ack ? '' : ' nak'}`);
    later(9, () => i2c.completeConnect(ack));
  };
  i2c.onWriteByte = (value) => {
    if (device.loseArbitration) {
      bus.log.push(`w ${hex(value)} arbitration lost`);
      later(9, () => i2c.arbitrationLost());
      return;
    }
    const ack = device.write ? device.write(value) : true;
    bus.log.push(`w ${hex(value)}${ack ? '' : ' nak'}`);
    later(9, () => i2c.completeWrite(ack));
  };
  i2c.onReadByte = () => {
    const value = device.read ? device.read() : 0xff;
    if (value === undefined) { // holds the bus until something clocks it free
      bus.held = address;
      // Clocked free: the device lets go and the hand-made STOP ends the
      // transfer; the controller, reset meanwhile by the firmware (which
      // rp2040js does not model), is idle again.
      bus.releaseHeld = () => {
        bus.held = null;
        device?.stop?.();
        bus.log.push('released', 'P');
        Object.assign(i2c, { state: 0, busy: false, stop: false, pendingRestart: false });
      };
      next = null;
      return;
    }
    bus.log.push(`r ${hex(value)}`);
    later(9, () => i2c.completeRead(value));
  };
  i2c.onStop = () => {
    device?.stop?.();
    bus.log.push('P');
    later(1, () => {
      bus.lastStopCycles = mcu.core.cycles;
      i2c.completeStop();
    });
  };
  return bus;
}

// A register-map device (a sensor): the first written byte sets the
// register pointer, the next ones are stored; reads go on from the pointer.
export function registerDevice(registers) {
  const mem = new Uint8Array(256);
  for (const [reg, value] of Object.entries(registers)) mem[Number(reg)] = value;
  let pointer = 0;
  let addressed = false;
  return {
    mem,
    connect(read) {
      if (!read) addressed = false;
      return true;
    },
    write(byte) {
      if (!addressed) {
        pointer = byte;
        addressed = true;
      } else {
        mem[pointer] = byte;
        pointer = (pointer + 1) & 0xff;
      }
      return true;
    },
    read() {
      const v = mem[pointer];
      pointer = (pointer + 1) & 0xff;
      return v;
    },
  };
}

// An SSD1306-like display on I2C: each write starts with a control byte,
// 0x00 (commands follow) or 0x40 (display data follows); commands and data
// are recorded in the order they came. A read returns its status byte (0).
export function displayDevice() {
  const d = { commands: [], data: [], transfers: [] };
  let control = null;
  let current = null;
  return Object.assign(d, {
    connect() {
      control = null;
      current = [];
      return true;
    },
    read: () => 0x00,
    write(byte) {
      if (control === null) control = byte;
      else if (control === 0x00) d.commands.push(byte);
      else d.data.push(byte);
      current.push(byte);
      return true;
    },
    stop() {
      if (current?.length) d.transfers.push(current);
      current = null;
    },
  });
}

// The emulated chip's SPI controller `index`, its MOSI bytes going to
// exchange(byte, spiMode) -> MISO byte, each taking 8 bit times at the
// programmed rate. A reset of the controller through RESETS (which rp2040js
// does not model) empties its FIFOs and drops the byte on the wire.
const RESETS_BASE = 0x4000c;
// Returns { lastDoneCycles }: the CPU's cycle count when the last byte
// finished.
export function attachSPI(mcu, index, exchange) {
  const spi = mcu.spi[index];
  const state = { lastDoneCycles: 0 };
  const pending = [];
  let busyUntil = 0;
  const resets = mcu.peripherals[RESETS_BASE];
  const writeResets = resets.writeUint32.bind(resets);
  resets.writeUint32 = (offset, value) => {
    const bit = 1 << (16 + index);
    if (offset === 0 && value & bit && !(resets.reset & bit)) {
      pending.length = 0;
      alarm.cancel();
      busyUntil = 0;
      spi.txFIFO.reset();
      spi.rxFIFO.reset();
      spi.busy = false;
      spi.control0 = spi.control1 = spi.dmaControl = spi.clockDivisor = 0;
      spi.fifosUpdated(); // the DMA requests follow the emptied FIFOs
    }
    writeResets(offset, value);
  };
  const alarm = mcu.clock.createAlarm(() => {
    const { answer } = pending.shift();
    state.lastDoneCycles = mcu.core.cycles;
    spi.completeTransmit(answer);
    if (pending.length) alarm.schedule(pending[0].at - mcu.clock.nanos);
  });
  spi.onTransmit = (value) => {
    const bitNs = 1e9 / spi.clockFrequency;
    const start = Math.max(mcu.clock.nanos, busyUntil);
    busyUntil = start + 8 * bitNs;
    // the SPI mode from SSPCR0's SPO (bit 6) and SPH (bit 7): rp2040js'
    // own spiMode swaps modes 2 and 3
    const mode = (spi.control0 & 0x40 ? 2 : 0) | (spi.control0 & 0x80 ? 1 : 0);
    pending.push({ at: busyUntil, answer: exchange(value, mode) & 0xff });
    if (pending.length === 1) alarm.schedule(busyUntil - mcu.clock.nanos);
  };
  return state;
}

// An SSD1306 on I2C with its frame buffer: the commands that set the column
// and page windows (0x21, 0x22) and display data written in horizontal
// addressing. frames counts whole frames (the data pointer wrapping).
export function ssd1306Device() {
  const argc = { 0x21: 2, 0x22: 2, 0x20: 1, 0x81: 1, 0x8d: 1 };
  const d = { commands: [], frame: Array.from({ length: 8 }, () => new Array(128).fill(0)), frames: 0, on: false, snapshots: [] };
  let control = null;
  let pending = [];
  let col = 0, page = 0, col0 = 0, col1 = 127, page0 = 0, page1 = 7;
  const command = (cmd) => {
    d.commands.push(...cmd);
    if (cmd[0] === 0xaf) d.on = true;
    if (cmd[0] === 0xae) d.on = false;
    if (cmd[0] === 0x21) [col, col0, col1] = [cmd[1] & 127, cmd[1] & 127, cmd[2] & 127];
    if (cmd[0] === 0x22) [page, page0, page1] = [cmd[1] & 7, cmd[1] & 7, cmd[2] & 7];
  };
  const data = (byte) => {
    d.frame[page][col] = byte;
    if (col++ < col1) return;
    col = col0;
    if (page++ < page1) return;
    page = page0;
    d.frames++;
    d.snapshots.push(d.frame.map((row) => row.slice()));
  };
  return Object.assign(d, {
    connect(read) {
      control = null;
      pending = [];
      return !read;
    },
    write(byte) {
      if (control === null) control = byte;
      else if (control === 0x40) data(byte);
      else {
        pending.push(byte);
        if (pending.length === (argc[pending[0]] ?? 0) + 1) {
          command(pending);
          pending = [];
        }
      }
      return true;
    },
  });
}
