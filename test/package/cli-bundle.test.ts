import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinsOnDemand } from '../../scripts/cli-bundle.ts';

const BANNER = "import { createRequire as __cliRequire } from 'node:module';\nconst require = __cliRequire(import.meta.url);";

describe('builtinsOnDemand (scripts/cli-bundle.ts)', () => {
  test("every form of a built-in's import becomes a getBuiltinModule at the chunk's top; other imports stay", () => {
    const chunk = [
      '#!/usr/bin/env node',
      BANNER,
      'import { helper } from "./chunk-ABC.js";',
      '',
      '// src/x.ts',
      'import path from "node:path";',
      'import { createHash, randomBytes as rb } from "node:crypto";',
      'import * as zlib from "zlib";',
      'import ev, { EventEmitter } from "node:events";',
      'import { Redis } from "ioredis";',
      'import "node:fs";',
      'const x = path.join(helper(), createHash("sha256").digest("hex"), rb(1), zlib, ev, EventEmitter);',
    ].join('\n');
    const out = builtinsOnDemand(chunk);
    const g = (m: string) => `globalThis.process.getBuiltinModule("${m}")`;
    assert.equal(
      out,
      [
        '#!/usr/bin/env node',
        BANNER,
        `const path = ${g('node:path')};`,
        `const { createHash, randomBytes: rb } = ${g('node:crypto')};`,
        `const zlib = ${g('zlib')};`,
        `const ev = ${g('node:events')};`,
        'const { EventEmitter } = ev;',
        'import { helper } from "./chunk-ABC.js";',
        '',
        '// src/x.ts',
        '',
        '',
        '',
        '',
        'import { Redis } from "ioredis";',
        'import "node:fs";',
        'const x = path.join(helper(), createHash("sha256").digest("hex"), rb(1), zlib, ev, EventEmitter);',
      ].join('\n'),
    );
  });

  test('a chunk without a built-in import is returned as it is', () => {
    const chunk = `${BANNER}\nimport { a } from "./chunk-A.js";\nexport { a };\n`;
    assert.equal(builtinsOnDemand(chunk), chunk);
  });
});
