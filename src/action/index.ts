/** Entry point of the GitHub Action (bundled to dist/index.js). */
import { runAction } from './runner.ts';

await runAction();
