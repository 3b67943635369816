/**
 * The sync's decision (bot/decide.ts) without any GitHub: what the repository has and what it
 * should have, in; named actions (or the one fact still to read), out.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideSync, type BranchPulls, type Has, type OurPr, type Should, type Wanted } from '../../bot/decide.ts';
import type { Plan } from '../../bot/engine.ts';
import { plannedChange } from '../helpers/planned.ts';

const SHA = (c: string) => c.repeat(40);
const B = (key: string) => `fapilog-plugins/${key}`;

function plan(targets: Record<string, string>, changes = 1): Plan {
  const planned = Object.entries(targets).map(([pkg, target]) =>
    plannedChange({ package: pkg, file: 'requirements.txt', line: 1, current: '1.0.0', target, from: '==1.0.0', to: `==${target}` }),
  );
  const change = { path: 'requirements.txt', before: new Uint8Array(), after: new Uint8Array([1]), diff: '' };
  return { changes: Array.from({ length: changes }, () => change) as Plan['changes'], planned, skipped: [], lock: [] };
}

function want(key: string, targets: Record<string, string>, extra: Partial<Wanted['unit']> = {}, security = false): [string, Wanted] {
  return [
    B(key),
    {
      unit: { key, group: Object.keys(targets).length > 1, branch: B(key), ...extra },
      packages: Object.keys(targets),
      plan: plan(targets),
      security,
    },
  ];
}

function pr(key: string, targets: Record<string, string>, head = SHA('b'), handsOff: string | null = null): [string, OurPr] {
  const state = { v: 1 as const, branch: B(key), plugins: targets, base: SHA('a'), head, handsOff, closedByBot: false };
  return [B(key), { number: key.length, title: key, body: '', state }];
}

function has(p: Partial<Has> = {}): Has {
  return { prs: new Map(), heads: new Map(), pulls: new Map(), replanned: new Map(), unlisted: false, ...p };
}

const noPulls: BranchPulls = { refused: new Set(), open: false };
/** Every branch's pulls read, none refused or open. */
const allRead = (should: Should) => new Map([...should.wanted.keys()].map((b) => [b, noPulls]));
const kinds = (d: ReturnType<typeof decideSync>) => ('actions' in d ? d.actions.map((a) => `${a.kind} ${a.branch}`) : d);

describe('decideSync', () => {
  test('a new plan: the branch pulls are asked for first, then it is opened', () => {
    const should: Should = { wanted: new Map([want('fapilog-otel', { 'fapilog-otel': '2.0.0' })]), limit: 5 };
    assert.deepEqual(decideSync(has(), should), { need: { kind: 'pulls', branch: B('fapilog-otel') } });
    const d = decideSync(has({ pulls: allRead(should) }), should);
    assert.deepEqual(kinds(d), [`open ${B('fapilog-otel')}`]);
  });

  test('the same targets, but an advisory came out against what they move off (or went away): update', () => {
    const heads = new Map([[B('a'), SHA('b')]]);
    const plain = new Map([pr('a', { a: '2.0.0' })]);
    const secured = new Map([[B('a'), { ...plain.get(B('a'))!, state: { ...plain.get(B('a'))!.state, security: true as const } }]]);
    const asSecurity: Should = { wanted: new Map([want('a', { a: '2.0.0' }, {}, true)]), limit: 0 };
    const asPlain: Should = { wanted: new Map([want('a', { a: '2.0.0' })]), limit: 0 };
    assert.deepEqual(kinds(decideSync(has({ prs: plain, heads }), asSecurity)), [`update ${B('a')}`]);
    assert.deepEqual(kinds(decideSync(has({ prs: secured, heads }), asPlain)), [`update ${B('a')}`]);
    assert.deepEqual(kinds(decideSync(has({ prs: secured, heads }), asSecurity)), [`unchanged ${B('a')}`]);
    assert.deepEqual(kinds(decideSync(has({ prs: plain, heads }), asPlain)), [`unchanged ${B('a')}`]);
  });

  test('open, update, unchanged, close as obsolete: each by what the repository has', () => {
    const should: Should = {
      wanted: new Map([want('a', { a: '2.0.0' }), want('b', { b: '2.0.0' }), want('c', { c: '3.0.0' })]),
      limit: 5,
    };
    const prs = new Map([pr('b', { b: '2.0.0' }), pr('c', { c: '2.0.0' }), pr('gone', { gone: '1.1.0' })]);
    const heads = new Map([
      [B('b'), SHA('b')],
      [B('c'), SHA('b')],
      [B('gone'), SHA('b')],
    ]);
    const d = decideSync(has({ prs, heads, pulls: allRead(should) }), should);
    assert.deepEqual(kinds(d), [`close ${B('gone')}`, `open ${B('a')}`, `unchanged ${B('b')}`, `update ${B('c')}`]);
    const close = 'actions' in d ? d.actions[0] : undefined;
    assert.equal(close?.kind === 'close' && close.branchExists, true);
  });

  test("a person's push: left to them, said once; never closed even when no longer needed", () => {
    const should: Should = { wanted: new Map([want('a', { a: '2.0.0' })]), limit: 5 };
    const pushed = SHA('c');
    const heads = new Map([
      [B('a'), pushed],
      [B('old'), pushed],
    ]);
    const first = decideSync(has({ prs: new Map([pr('a', { a: '1.5.0' }), pr('old', { old: '1.0.0' })]), heads }), should);
    assert.deepEqual('actions' in first && first.actions, [
      { kind: 'leave', branch: B('old'), pr: pr('old', { old: '1.0.0' })[1], tell: null },
      { kind: 'leave', branch: B('a'), pr: pr('a', { a: '1.5.0' })[1], tell: pushed },
    ]);
    const told = decideSync(has({ prs: new Map([pr('a', { a: '1.5.0' }, SHA('b'), pushed)]), heads }), should);
    assert.deepEqual('actions' in told && told.actions.map((a) => a.kind === 'leave' && a.tell), [null]);
  });

  test('the open-PR limit: counted over open pull requests (not the closed ones), the rest deferred', () => {
    const should: Should = {
      wanted: new Map([want('a', { a: '2' }), want('b', { b: '2' }), want('c', { c: '2' }), want('d', { d: '2' })]),
      limit: 2,
    };
    const prs = new Map([pr('a', { a: '2' }), pr('gone', { gone: '1' })]);
    const heads = new Map([[B('a'), SHA('b')]]);
    const d = decideSync(has({ prs, heads, pulls: allRead(should) }), should);
    assert.deepEqual(kinds(d), [`close ${B('gone')}`, `unchanged ${B('a')}`, `open ${B('b')}`, `defer ${B('c')}`, `defer ${B('d')}`]);
    // A limit of 0 opens none, and keeps what is open current.
    const zero = decideSync(has({ prs: new Map([pr('a', { a: '1' })]), heads }), { ...should, limit: 0 });
    assert.deepEqual(kinds(zero), [`update ${B('a')}`, `defer ${B('b')}`, `defer ${B('c')}`, `defer ${B('d')}`]);
  });

  test('security pull requests first, outside the open-PR limit: opened when it is reached, and not counted', () => {
    const should: Should = {
      wanted: new Map([want('a', { a: '2' }), want('b', { b: '2' }), want('z', { z: '1.0.1' }, {}, true), want('y', { y: '3' }, {}, true)]),
      limit: 1,
    };
    // One pull request is open already (the limit is reached), and one security fix is open too.
    const prs = new Map([pr('open', { open: '1' }), pr('y', { y: '3' })]);
    prs.get(B('y'))!.state.security = true;
    const heads = new Map([
      [B('open'), SHA('b')],
      [B('y'), SHA('b')],
    ]);
    const wanted = new Map([...should.wanted, want('open', { open: '1' })]);
    const d = decideSync(has({ prs, heads, pulls: allRead({ ...should, wanted }) }), { ...should, wanted });
    assert.deepEqual(kinds(d), [`unchanged ${B('y')}`, `open ${B('z')}`, `defer ${B('a')}`, `defer ${B('b')}`, `unchanged ${B('open')}`]);
    // Without the one that was open, one more place: the first of the others (the security fix took none).
    prs.delete(B('open'));
    const freed = decideSync(has({ prs, heads, pulls: allRead(should) }), should);
    assert.deepEqual(kinds(freed), [`unchanged ${B('y')}`, `open ${B('z')}`, `open ${B('a')}`, `defer ${B('b')}`]);
  });

  test('refused by a person: not proposed again; a refusal frees the place for the next one', () => {
    const should: Should = { wanted: new Map([want('a', { a: '2.0.0' }), want('b', { b: '2.0.0' })]), limit: 1 };
    const pulls = new Map([
      [B('a'), { refused: new Set(['a@2.0.0']), open: false }],
      [B('b'), noPulls],
    ]);
    assert.deepEqual(kinds(decideSync(has({ pulls }), should)), [`refused ${B('a')}`, `open ${B('b')}`]);
    // Another version of the same plugin is proposed.
    const newer = new Map([[B('a'), { refused: new Set(['a@1.9.0']), open: false }]]);
    assert.deepEqual(kinds(decideSync(has({ pulls: newer }), should)), [`open ${B('a')}`, `defer ${B('b')}`]);
  });

  test('a group with one refused member is planned again without it; a plan that empties is said so', () => {
    const should: Should = { wanted: new Map([want('g', { a: '2.0.0', b: '3.0.0' })]), limit: 5 };
    const pulls = new Map([[B('g'), { refused: new Set(['a@2.0.0']), open: false }]]);
    assert.deepEqual(decideSync(has({ pulls }), should), { need: { kind: 'replan', branch: B('g'), packages: ['b'] } });
    const again = plan({ b: '3.0.0' });
    const d = decideSync(has({ pulls, replanned: new Map([[B('g'), again]]) }), should);
    assert.ok('actions' in d && d.actions[0]!.kind === 'open' && d.actions[0]!.plan === again);
    const emptied = decideSync(has({ pulls, replanned: new Map([[B('g'), plan({ b: '3.0.0' }, 0)]]) }), should);
    assert.deepEqual(kinds(emptied), [`emptied ${B('g')}`]);
  });

  test('a co-upgrade is whole or nothing: one refused plugin refuses it all', () => {
    const [branch, w] = want(
      'fapilog-upgrade',
      { fapilog: '0.18.1', 'fapilog-kafka': '3.1.0' },
      { coUpgrade: { fapilog: '0.18.1', from: null } },
    );
    const pulls = new Map([[branch, { refused: new Set(['fapilog-kafka@3.1.0']), open: false }]]);
    const d = decideSync(has({ pulls }), { wanted: new Map([[branch, w]]), limit: 5 });
    assert.deepEqual('actions' in d && d.actions, [{ kind: 'refused', branch, versions: ['fapilog-kafka@3.1.0'] }]);
  });

  test("someone else's open pull request on the branch: left alone, or a restart when the bot's list was not read", () => {
    const should: Should = { wanted: new Map([want('a', { a: '2.0.0' })]), limit: 5 };
    const pulls = new Map([[B('a'), { refused: new Set<string>(), open: true }]]);
    assert.deepEqual(decideSync(has({ pulls }), should), {
      actions: [{ kind: 'leave', branch: B('a'), pr: null, tell: null }],
    });
    assert.match((decideSync(has({ pulls, unlisted: true }), should) as { restart: string }).restart, /open-issue count did not show/);
  });
});
