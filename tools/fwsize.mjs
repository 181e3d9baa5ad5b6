#!/usr/bin/env node
// Flash and RAM taken by a firmware .elf, from its section headers:
//   flash = text + data (code, constants, boot2, and the initial values of
//           .data, which the start-up code copies to RAM)
//   RAM   = data + bss  (static RAM, before heap and stacks)
//
//   fwsize.mjs <firmware.elf>     prints one line
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const SHT_NOBITS = 8;
const SHF_WRITE = 0x1;
const SHF_ALLOC = 0x2;

export function elfSizes(path) {
  const elf = readFileSync(path);
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 1 || elf[5] !== 1) {
    throw new Error(`${path}: not a little-endian ELF32 file`);
  }
  const shoff = elf.readUInt32LE(0x20);
  const shentsize = elf.readUInt16LE(0x2e);
  const shnum = elf.readUInt16LE(0x30);
  const sizes = { text: 0, data: 0, bss: 0 };
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    const type = elf.readUInt32LE(at + 4);
    const flags = elf.readUInt32LE(at + 8);
    const size = elf.readUInt32LE(at + 20);
    if (!(flags & SHF_ALLOC)) continue;
    if (type === SHT_NOBITS) sizes.bss += size;
    else if (flags & SHF_WRITE) sizes.data += size;
    else sizes.text += size;
  }
  return { ...sizes, flash: sizes.text + sizes.data, ram: sizes.data + sizes.bss };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: fwsize.mjs <firmware.elf>');
    process.exit(2);
  }
  const s = elfSizes(path);
  console.log(`${basename(path)}: flash ${s.flash} B (text ${s.text} + data ${s.data}), ` +
    `static RAM ${s.ram} B (data ${s.data} + bss ${s.bss})`);
}
