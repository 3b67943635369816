/** README extraction: where the long description comes from, its summary, and absolute links. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  absolutizeReadme,
  extractReadme,
  firstParagraph,
  insecureImages,
  repositoryBases,
  templateMarkers,
} from '../../../src/core/publish/readme.ts';

const repo = { repository: 'https://github.com/o/r', ref: 'v1.2.0' };

describe('absolutizeReadme (Markdown)', () => {
  test('links go to blob at the tag, images to raw.githubusercontent, directories to tree', () => {
    const md = [
      'See [the guide](docs/x.md), [setup](./docs/setup.md#install "Setup") and [root](/CHANGELOG.md).',
      '![diagram](docs/img/flow.png)',
      '[![badge](badges/ci.svg)](docs/)',
      '<img src="docs/shot.png" width="300"> <a href="examples/app.py">app</a>',
      '[ref]: docs/ref.md',
      '[logo]: assets/logo.svg',
    ].join('\n');
    assert.equal(
      absolutizeReadme(md, 'text/markdown', repo),
      [
        'See [the guide](https://github.com/o/r/blob/v1.2.0/docs/x.md), [setup](https://github.com/o/r/blob/v1.2.0/docs/setup.md#install "Setup") and [root](https://github.com/o/r/blob/v1.2.0/CHANGELOG.md).',
        '![diagram](https://raw.githubusercontent.com/o/r/v1.2.0/docs/img/flow.png)',
        '[![badge](https://raw.githubusercontent.com/o/r/v1.2.0/badges/ci.svg)](https://github.com/o/r/tree/v1.2.0/docs/)',
        '<img src="https://raw.githubusercontent.com/o/r/v1.2.0/docs/shot.png" width="300"> <a href="https://github.com/o/r/blob/v1.2.0/examples/app.py">app</a>',
        '[ref]: https://github.com/o/r/blob/v1.2.0/docs/ref.md',
        '[logo]: https://raw.githubusercontent.com/o/r/v1.2.0/assets/logo.svg',
      ].join('\n'),
    );
  });

  test('absolute URLs, anchors, mailto, code blocks, inline code and paths outside the repository stay as written', () => {
    const md = [
      '[abs](https://example.com/a.md) [anchor](#usage) [mail](mailto:a@b.c) [up](../../outside.md)',
      '`[not a link](docs/x.md)`',
      '```markdown',
      '[inside fence](docs/x.md)',
      '```',
      '',
      '    [indented code](docs/x.md)',
    ].join('\n');
    assert.equal(absolutizeReadme(md, 'text/markdown', repo), md);
  });

  test('a project in a subdirectory resolves relative paths from there', () => {
    assert.equal(
      absolutizeReadme('[a](docs/a.md) [b](../shared/b.md) [c](/top.md)', 'text/markdown', { ...repo, subdirectory: 'plugins/loki' }),
      '[a](https://github.com/o/r/blob/v1.2.0/plugins/loki/docs/a.md) [b](https://github.com/o/r/blob/v1.2.0/plugins/shared/b.md) [c](https://github.com/o/r/blob/v1.2.0/top.md)',
    );
  });

  test('GitLab repositories, .git suffixes; unknown hosts leave the text alone', () => {
    assert.deepEqual(repositoryBases({ repository: 'https://gitlab.com/g/sub/r.git', ref: 'v1' }), {
      blob: 'https://gitlab.com/g/sub/r/-/blob/v1/',
      tree: 'https://gitlab.com/g/sub/r/-/tree/v1/',
      raw: 'https://gitlab.com/g/sub/r/-/raw/v1/',
    });
    assert.equal(
      absolutizeReadme('[a](a.md)', 'text/markdown', { repository: 'https://github.com/o/r.git', ref: 'v1' }),
      '[a](https://github.com/o/r/blob/v1/a.md)',
    );
    assert.equal(absolutizeReadme('[a](a.md)', 'text/markdown', { repository: 'https://example.org/o/r', ref: 'v1' }), '[a](a.md)');
  });
});

describe('absolutizeReadme (reStructuredText)', () => {
  test('image and figure directives, :target: and inline links', () => {
    const rst = '.. image:: docs/logo.png\n   :target: docs/index.rst\n\nSee `the guide <docs/guide.rst>`_.\n';
    assert.equal(
      absolutizeReadme(rst, 'text/x-rst', repo),
      '.. image:: https://raw.githubusercontent.com/o/r/v1.2.0/docs/logo.png\n   :target: https://github.com/o/r/blob/v1.2.0/docs/index.rst\n\nSee `the guide <https://github.com/o/r/blob/v1.2.0/docs/guide.rst>`_.\n',
    );
  });
});

describe('firstParagraph', () => {
  test('skips the title, badges, HTML and code; strips inline markup', () => {
    const md = [
      '# fapilog-loki',
      '',
      '[![PyPI](https://img.shields.io/pypi/v/x.svg)](https://pypi.org/p/x) ![CI](https://ci/badge.svg)',
      '<p align="center">',
      '<!-- a comment',
      'spanning lines -->',
      '',
      'Ship **structured** log events to [Grafana Loki](https://grafana.com)',
      'with `batching`.',
      '',
      'Second paragraph.',
    ].join('\n');
    assert.equal(firstParagraph(md), 'Ship structured log events to Grafana Loki with batching.');
  });

  test('setext and RST titles are skipped', () => {
    assert.equal(firstParagraph('Title\n=====\n\nBody text here.\n'), 'Body text here.');
    assert.equal(firstParagraph('=====\nTitle\n=====\n\n.. image:: x.png\n\nRST body.\n'), 'RST body.');
  });
});

describe('extractReadme', () => {
  test('prefers the wheel METADATA body; falls back to the README file; else none', () => {
    const fromMeta = extractReadme(
      {
        metadataDescription: '# T\n\nFrom metadata [x](x.md).\n',
        metadataContentType: 'text/markdown',
        file: { text: 'file', contentType: 'text/markdown', name: 'README.md' },
      },
      repo,
    );
    assert.equal(fromMeta.from, 'metadata');
    assert.equal(fromMeta.summary, 'From metadata x.');
    assert.equal(fromMeta.text, '# T\n\nFrom metadata [x](https://github.com/o/r/blob/v1.2.0/x.md).\n');
    assert.equal(fromMeta.original, '# T\n\nFrom metadata [x](x.md).\n');

    const fromFile = extractReadme(
      {
        metadataDescription: '  \n',
        metadataContentType: null,
        file: { text: 'From the file.\n', contentType: 'text/markdown', name: 'README.md' },
      },
      null,
    );
    assert.equal(fromFile.from, 'file');
    assert.equal(fromFile.text, 'From the file.\n');

    assert.equal(extractReadme({ metadataDescription: '', metadataContentType: null, file: null }, repo).from, 'none');
  });

  test('template markers and insecure images are found', () => {
    assert.deepEqual(templateMarkers('# x\nTODO: Describe your plugin\nfrom fapilog-plugin-template'), [
      'TODO: describe your plugin',
      'fapilog-plugin-template',
    ]);
    assert.deepEqual(templateMarkers('# fapilog-loki\nShips logs.'), []);
    assert.deepEqual(insecureImages('![a](http://x/a.png) ![b](https://x/b.png) <img src="http://x/c.gif"> [link](http://x/page)'), [
      'http://x/a.png',
      'http://x/c.gif',
    ]);
  });
});
