// A USB host for firmware that shows a CDC serial port (pico-sdk's
// stdio_usb, TinyUSB's CDC class): rp2040js' USBCDC enumerates the device,
// this module sends it text at given simulated times and collects what it
// prints, line by line, with the simulated time of each line.
//
// rp2040js' USBCDC answers every OUT transfer the device arms at once, with
// an empty packet when it has nothing to send; the device then arms the next
// one, and so on every 10 us, which makes a simulated second of an idle
// connection cost seconds of host time. A host on a real bus only answers
// when it has data: here the read is kept until there is some.
import { USBCDC } from 'rp2040js';

// inputs: [{ us, text }]: text (UTF-8) is sent at `us` or as soon as the
// device is configured, whichever is later.
export function attachUsbCdc(mcu, inputs, result) {
  const { clock } = mcu;
  const cdc = new USBCDC(mcu.usbCtrl);
  const queue = [...inputs].sort((a, b) => a.us - b.us)
    .map(({ us, text }) => ({ ns: us * 1000, bytes: [...Buffer.from(text, 'utf8')] }));
  const answerRead = mcu.usbCtrl.onEndpointRead;
  let heldRead = null;
  let connected = false;
  let line = '';
  result.usb = '';
  result.usbLines = [];
  result.usbConnectedUs = null;

  mcu.usbCtrl.onEndpointRead = (endpoint, size) => {
    if (endpoint === cdc.outEndpoint && cdc.txFIFO.empty) heldRead = { endpoint, size };
    else answerRead(endpoint, size);
  };
  cdc.onDeviceConnected = () => {
    connected = true;
    result.usbConnectedUs = clock.nanos / 1000;
  };
  cdc.onSerialData = (bytes) => {
    for (const byte of bytes) {
      const ch = String.fromCharCode(byte);
      if (ch === '\r') continue;
      result.usb += ch;
      if (ch !== '\n') {
        line += ch;
        continue;
      }
      result.usbLines.push({ us: clock.nanos / 1000, text: line });
      line = '';
    }
  };

  return {
    get nextNanos() { return connected && queue.length ? queue[0].ns : Infinity; },
    apply() {
      while (connected && queue.length && queue[0].ns <= clock.nanos) {
        for (const byte of queue.shift().bytes) cdc.sendSerialByte(byte);
        if (heldRead) {
          const { endpoint, size } = heldRead;
          heldRead = null;
          answerRead(endpoint, size);
        }
      }
    },
  };
}
