#!/usr/bin/env node
// UF2 packer for the Raspberry Pi Pico (RP2040) and Pico 2 (RP2350): the
// format their USB boot loaders accept. Each 512-byte block carries 256 bytes
// of payload for one flash address:
//   0  magic 0x0a324655 ("UF2\n")   4  magic 0x9e5d5157     8  flags
//   12 target address              16 payload size (256)    20 block number
//   24 number of blocks            28 family id             32 payload (476 bytes room)
//   508 final magic 0x0ab16f30
// The family id tells the boot ROM which chip (and, on the RP2350, which
// CPU architecture and security state) the image is for: it ignores blocks
// of another family. An RP2350 image also needs an IMAGE_DEF block in its
// first 4 KB, or the boot ROM does not start it (pico-sdk's build adds the
// block by itself; this packer adds nothing to the payload).
//
//   uf2.mjs pack <in.bin> <out.uf2> [base address, default 0x10000000] [--family <name>]
//   uf2.mjs check <file.uf2> [--family <name>]   structure check; exit 1 on the first defect
// <name>: rp2040 (the default), rp2350-arm-s, rp2350-arm-ns, rp2350-riscv.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const UF2_MAGIC_START0 = 0x0a324655;
export const UF2_MAGIC_START1 = 0x9e5d5157;
export const UF2_MAGIC_END = 0x0ab16f30;
export const UF2_FLAG_FAMILY_ID_PRESENT = 0x00002000;
// Family ids (the RP2350 datasheet's boot ROM chapter; Microsoft's UF2
// family list).
export const RP2040_FAMILY_ID = 0xe48bff56;
export const RP2350_ARM_S_FAMILY_ID = 0xe48bff59; // Arm cores, Secure: what pico-sdk builds
export const RP2350_RISCV_FAMILY_ID = 0xe48bff5a; // the Hazard3 RISC-V cores
export const RP2350_ARM_NS_FAMILY_ID = 0xe48bff5b; // Arm cores, Non-secure
export const FAMILY_IDS = {
  rp2040: RP2040_FAMILY_ID,
  'rp2350-arm-s': RP2350_ARM_S_FAMILY_ID,
  'rp2350-arm-ns': RP2350_ARM_NS_FAMILY_ID,
  'rp2350-riscv': RP2350_RISCV_FAMILY_ID,
};
export const FLASH_BASE = 0x10000000;
const BLOCK_SIZE = 512;
const PAYLOAD_SIZE = 256;

export function pack(bin, base = FLASH_BASE, familyId = RP2040_FAMILY_ID) {
  const count = Math.ceil(bin.length / PAYLOAD_SIZE);
  const out = new Uint8Array(count * BLOCK_SIZE);
  const view = new DataView(out.buffer);
  for (let n = 0; n < count; n++) {
    const at = n * BLOCK_SIZE;
    view.setUint32(at + 0, UF2_MAGIC_START0, true);
    view.setUint32(at + 4, UF2_MAGIC_START1, true);
    view.setUint32(at + 8, UF2_FLAG_FAMILY_ID_PRESENT, true);
    view.setUint32(at + 12, base + n * PAYLOAD_SIZE, true);
    view.setUint32(at + 16, PAYLOAD_SIZE, true);
    view.setUint32(at + 20, n, true);
    view.setUint32(at + 24, count, true);
    view.setUint32(at + 28, familyId, true);
    out.set(bin.subarray(n * PAYLOAD_SIZE, (n + 1) * PAYLOAD_SIZE), at + 32);
    view.setUint32(at + 508, UF2_MAGIC_END, true);
  }
  return out;
}

// Returns a list of defects (empty when the file is a well-formed UF2 whose
// every block is for familyId).
export function check(uf2, familyId = RP2040_FAMILY_ID) {
  const defects = [];
  if (uf2.length === 0 || uf2.length % BLOCK_SIZE) defects.push(`size ${uf2.length} is not a multiple of 512`);
  const view = new DataView(uf2.buffer, uf2.byteOffset, uf2.byteLength);
  const count = Math.floor(uf2.length / BLOCK_SIZE);
  for (let n = 0; n < count && defects.length < 10; n++) {
    const at = n * BLOCK_SIZE;
    const field = (o) => view.getUint32(at + o, true);
    const expect = (o, want, what) => {
      if (field(o) !== want >>> 0) defects.push(`block ${n}: ${what} is 0x${field(o).toString(16)}, want 0x${(want >>> 0).toString(16)}`);
    };
    expect(0, UF2_MAGIC_START0, 'first magic');
    expect(4, UF2_MAGIC_START1, 'second magic');
    expect(508, UF2_MAGIC_END, 'final magic');
    expect(8, UF2_FLAG_FAMILY_ID_PRESENT, 'flags');
    expect(16, PAYLOAD_SIZE, 'payload size');
    expect(20, n, 'block number');
    expect(24, count, 'number of blocks');
    expect(28, familyId, 'family id');
    if (field(12) % PAYLOAD_SIZE) defects.push(`block ${n}: address 0x${field(12).toString(16)} not 256-byte aligned`);
    if (n > 0 && field(12) !== view.getUint32(at - BLOCK_SIZE + 12, true) + PAYLOAD_SIZE) {
      defects.push(`block ${n}: address does not follow the previous block`);
    }
  }
  return defects;
}

// Unpacks into a flat flash image (starting at FLASH_BASE, 0xff where unwritten).
export function uf2ToFlash(uf2) {
  const view = new DataView(uf2.buffer, uf2.byteOffset, uf2.byteLength);
  const blocks = [];
  let end = 0;
  for (let at = 0; at + BLOCK_SIZE <= uf2.length; at += BLOCK_SIZE) {
    if (view.getUint32(at, true) !== UF2_MAGIC_START0) continue;
    const offset = view.getUint32(at + 12, true) - FLASH_BASE;
    const size = view.getUint32(at + 16, true);
    blocks.push({ offset, data: uf2.subarray(at + 32, at + 32 + size) });
    end = Math.max(end, offset + size);
  }
  const flash = new Uint8Array(end).fill(0xff);
  for (const { offset, data } of blocks) flash.set(data, offset);
  return { flash, blocks: blocks.length };
}

// Splits `--family <name>` off the arguments: [family id, the others], or
// [undefined, ...] for an unknown name.
function familyOption(args) {
  const at = args.indexOf('--family');
  if (at < 0) return [RP2040_FAMILY_ID, args];
  return [FAMILY_IDS[args[at + 1]], args.filter((_, i) => i !== at && i !== at + 1)];
}

function main(argv) {
  const [familyId, [command, input, output, base]] = familyOption(argv);
  if (familyId === undefined) {
    console.error(`uf2.mjs: unknown family; one of ${Object.keys(FAMILY_IDS).join(', ')}`);
    return 2;
  }
  if (command === 'pack' && input && output) {
    const bin = new Uint8Array(readFileSync(input));
    writeFileSync(output, pack(bin, base ? Number(base) : FLASH_BASE, familyId));
    return 0;
  }
  if (command === 'check' && input) {
    const defects = check(new Uint8Array(readFileSync(input)), familyId);
    for (const d of defects) console.log(d);
    console.log(defects.length ? 'uf2: BAD' : 'uf2: ok');
    return defects.length ? 1 : 0;
  }
  console.error('usage: uf2.mjs pack <in.bin> <out.uf2> [base] [--family <name>] | check <file.uf2> [--family <name>]');
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
