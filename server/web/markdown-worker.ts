/** Worker side of readme.ts: renders one README per message, answers with the same id. */
import { parentPort } from 'node:worker_threads';
import { renderReadme } from './markdown.ts';

// Loading micromark takes a while on a busy machine: the render budget starts after this.
parentPort!.postMessage({ ready: true });
parentPort!.on('message', (msg: { id: number; text: string }) => {
  try {
    parentPort!.postMessage({ id: msg.id, ok: true, result: renderReadme(msg.text) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
