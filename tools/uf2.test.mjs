// Tests of tools/uf2.mjs (node --test tools/uf2.test.mjs): the family ids
// the Pico's and Pico 2's boot ROMs look for, packing, checking and
// unpacking, and the command line.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  FAMILY_IDS, RP2040_FAMILY_ID, RP2350_ARM_S_FAMILY_ID, check, pack, uf2ToFlash,
} from './uf2.mjs';

const UF2 = fileURLToPath(new URL('./uf2.mjs', import.meta.url));

// 600 bytes: three blocks, the last one partly filled.
const image = Uint8Array.from({ length: 600 }, (_, i) => (i * 7 + 3) & 0xff);

const familiesOf = (uf2) => {
  const view = new DataView(uf2.buffer, uf2.byteOffset, uf2.byteLength);
  return Array.from({ length: uf2.length / 512 }, (_, n) => view.getUint32(n * 512 + 28, true));
};

test('the family ids are those of the RP2040 and RP2350 boot ROMs', () => {
  assert.equal(FAMILY_IDS.rp2040, 0xe48bff56);
  assert.equal(FAMILY_IDS['rp2350-arm-s'], 0xe48bff59);
  assert.equal(FAMILY_IDS['rp2350-riscv'], 0xe48bff5a);
  assert.equal(FAMILY_IDS['rp2350-arm-ns'], 0xe48bff5b);
});

test('pack writes the RP2040 family by default, and the one it is given', () => {
  assert.deepEqual(familiesOf(pack(image)), [RP2040_FAMILY_ID, RP2040_FAMILY_ID, RP2040_FAMILY_ID]);
  const rp2350 = pack(image, 0x10000000, RP2350_ARM_S_FAMILY_ID);
  assert.deepEqual(familiesOf(rp2350), [0xe48bff59, 0xe48bff59, 0xe48bff59]);
});

test('check accepts an image for its family and names a block of another', () => {
  const rp2350 = pack(image, 0x10000000, RP2350_ARM_S_FAMILY_ID);
  assert.deepEqual(check(rp2350, RP2350_ARM_S_FAMILY_ID), []);
  assert.deepEqual(check(pack(image)), []);
  const defects = check(rp2350); // expects the RP2040's
  assert.equal(defects.length, 3);
  assert.match(defects[0], /block 0: family id is 0xe48bff59, want 0xe48bff56/);
});

test('unpacking gives the payload back at its addresses', () => {
  const { flash, blocks } = uf2ToFlash(pack(image, 0x10000000, RP2350_ARM_S_FAMILY_ID));
  assert.equal(blocks, 3);
  assert.deepEqual(flash.subarray(0, image.length), image);
  assert.ok(flash.subarray(image.length).every((b) => b === 0)); // the last block's padding
});

test('the command line packs and checks for a named family, and refuses an unknown one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'uf2-test-'));
  const bin = join(dir, 'image.bin');
  const out = join(dir, 'image.uf2');
  writeFileSync(bin, image);
  execFileSync(process.execPath, [UF2, 'pack', bin, out, '--family', 'rp2350-arm-s']);
  assert.deepEqual(familiesOf(new Uint8Array(readFileSync(out))), [0xe48bff59, 0xe48bff59, 0xe48bff59]);
  const asRp2350 = spawnSync(process.execPath, [UF2, 'check', out, '--family', 'rp2350-arm-s']);
  assert.equal(asRp2350.status, 0);
  const asRp2040 = spawnSync(process.execPath, [UF2, 'check', out]);
  assert.equal(asRp2040.status, 1);
  const unknown = spawnSync(process.execPath, [UF2, 'pack', bin, out, '--family', 'rp2450'], { encoding: 'utf8' });
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /unknown family/);
});
