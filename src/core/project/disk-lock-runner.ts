/**
 * Running the lock tools a plan names (uv, poetry, pdm, pipenv) in a project directory on disk,
 * after its manifests were written. Only the disk side does this; the bot leaves it to CI.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { LockPlan } from './plan-update.ts';

export interface LockStep {
  lockfile: string;
  command: string;
  /** Whether it was run (only when asked, and when the tool is on PATH). */
  ran: boolean;
  ok: boolean | null;
  /** Why it did not run, or the tool's output when it failed. */
  message: string | null;
}

const execFileAsync = promisify(execFile);

/** The executable `command` names on PATH (what a shell would run), or null. */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = (env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const d of dirs) {
    for (const e of exts) {
      const candidate = path.join(d, command + e);
      try {
        if (!statSync(candidate).isFile()) continue;
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return findOnPath(command, env) !== null;
}

/** The steps as not run (a dry run, or lock not asked for): what to run by hand. */
export function lockStepsNotRun(plans: readonly LockPlan[]): LockStep[] {
  return plans.map((p) => ({ lockfile: p.lockfile, command: p.display, ran: false, ok: null, message: null }));
}

export async function runLockTools(root: string, plans: readonly LockPlan[], env: NodeJS.ProcessEnv = process.env): Promise<LockStep[]> {
  const steps: LockStep[] = [];
  for (const p of plans) {
    const step: LockStep = { lockfile: p.lockfile, command: p.display, ran: false, ok: null, message: null };
    if (!onPath(p.command, env)) {
      step.message = `${p.command} is not on PATH; run \`${p.display}\` in ${p.directory || '.'}`;
    } else {
      step.ran = true;
      try {
        await execFileAsync(p.command, p.args, {
          cwd: path.join(root, ...p.directory.split('/').filter(Boolean)),
          env,
          timeout: 10 * 60_000,
        });
        step.ok = true;
      } catch (err) {
        const e = err as { stderr?: string; message: string };
        step.ok = false;
        step.message = (e.stderr || e.message).trim().split('\n').slice(-5).join('\n');
      }
    }
    steps.push(step);
  }
  return steps;
}
