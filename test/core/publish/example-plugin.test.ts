/** examples/plugin is a working plugin: its own tests pass under the system Python. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_PLUGIN, PYTHON, run } from './helpers.ts';

test("the example plugin's sink writes one JSON object per line and declares itself a sink", async () => {
  const code = [
    'import sys',
    'sys.path.insert(0, "tests")',
    'import test_sink',
    'test_sink.test_writes_one_json_object_per_line()',
    'test_sink.test_metadata_names_a_sink()',
    'import fapilog_stdout_json as m',
    'print(m.PLUGIN_METADATA["entry_point"], m.PLUGIN_METADATA["compatibility"]["min_fapilog_version"])',
  ].join('\n');
  const r = await run(PYTHON, ['-c', code], {
    cwd: EXAMPLE_PLUGIN,
    env: { ...process.env, PYTHONPATH: path.join(EXAMPLE_PLUGIN, 'src'), PYTHONDONTWRITEBYTECODE: '1' },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'fapilog_stdout_json:StdoutJsonSink 0.14.0');
});
