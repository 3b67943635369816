/**
 * Probot's setup page (`npm run bot` without APP_ID) puts the app manifest, JSON, into a
 * single-quoted HTML attribute unescaped (`value='${manifest}'`): an apostrophe in app.yml's
 * description ended the attribute early and GitHub received broken JSON. The manifest Probot
 * builds is rewritten so that no character HTML gives a meaning there can occur in it: `'`, `<`,
 * `>` and `&` become JSON's `\u0027`-style escapes, which parse back to the same text, whatever
 * the text. (They never occur in JSON outside strings, so the rewrite cannot touch its structure.)
 */
const HTML_SPECIAL = /['<>&]/g;

/** The same JSON value, with no `'`, `<`, `>` or `&` in its text. */
export function attributeSafeJson(json: string): string {
  return json.replace(HTML_SPECIAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface ManifestCreationLike {
  prototype: { getManifest: (this: unknown, ...args: unknown[]) => string };
}

let patched: Promise<void> | null = null;

/**
 * Wraps Probot's ManifestCreation.getManifest (not exported: reached next to Probot's entry file,
 * so it is the very module Probot's setup app uses). Idempotent.
 */
export function makeSetupManifestSafe(): Promise<void> {
  patched ??= (async () => {
    const url = new URL('./manifest-creation.js', import.meta.resolve('probot'));
    const mod = (await import(url.href)) as { ManifestCreation?: ManifestCreationLike };
    const proto = mod.ManifestCreation?.prototype;
    if (!proto || typeof proto.getManifest !== 'function')
      throw new Error(`probot changed: no ManifestCreation.getManifest in ${url.href}`);
    const original = proto.getManifest;
    proto.getManifest = function (this: unknown, ...args: unknown[]) {
      return attributeSafeJson(original.apply(this, args));
    };
  })();
  return patched;
}
