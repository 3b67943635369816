import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBytes, encodeText, EncodingError, isUtf8, nonUtf8Position } from '../../src/core/bytes.ts';
import { seededRandom } from './python/differential.ts';

describe('lossless bytes <-> text', () => {
  test('any byte string round-trips exactly (random bytes, UTF-8 mixed with junk)', () => {
    const { int, chance } = seededRandom(8);
    const pieces = ['café', '\ufeff', '\r\n', '😀', 'fapilog==1.0\n', '\u00e9'];
    for (let n = 0; n < 500; n += 1) {
      const parts: number[] = [];
      for (let k = 0; k < 20; k += 1) {
        if (chance(0.5)) parts.push(...Buffer.from(pieces[int(pieces.length - 1)]!, 'utf8'));
        else parts.push(int(255));
      }
      const bytes = Uint8Array.from(parts);
      const text = decodeBytes(bytes);
      assert.ok(!text.includes('\ufffd') || Buffer.from(bytes).includes(Buffer.from('\ufffd')), 'no replacement characters');
      assert.deepEqual(Buffer.from(encodeText(text)), Buffer.from(bytes));
    }
  });

  test('valid UTF-8 decodes as usual, a BOM is kept; Latin-1 bytes become escapes that say where they are', () => {
    assert.equal(decodeBytes(Buffer.from('\ufeffcafé', 'utf8')), '\ufeffcafé');
    assert.equal(isUtf8(Buffer.from('café', 'latin1')), false);
    const t = decodeBytes(Buffer.from('ok\ncaf\xe9', 'latin1'));
    assert.equal(t, 'ok\ncaf\udce9');
    assert.equal(nonUtf8Position(t), 'byte 0xE9 at line 2, column 4');
    assert.equal(nonUtf8Position('café'), null);
    // Overlong forms and encoded surrogates are not UTF-8: kept as bytes, not decoded.
    assert.equal(decodeBytes(Uint8Array.from([0xc0, 0xaf, 0xed, 0xa0, 0x80])), '\udcc0\udcaf\udced\udca0\udc80');
    assert.throws(() => encodeText('\ud800x'), EncodingError);
  });
});
