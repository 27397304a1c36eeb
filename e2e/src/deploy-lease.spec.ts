/**
 * Two overlapping affected-deploy runs of one deployable to one environment, as two real nx
 * processes in two clones: one at O, one at N (N a child of O, both changing the library svc-a
 * imports). The deploy command is slow and records when it starts and ends in a shared
 * "environment" file outside both clones, so the test sees what the environment ends up running.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployWorkspace, type DeployWorkspace } from './support/deploy-workspace';
import { nxEnv } from './support/nx';
import { E2E_HOME } from './support/paths';
import { git } from './support/git';

interface Finished {
  code: number;
  output: string;
}

interface Running {
  done: Promise<Finished>;
  output(): string;
  exited(): boolean;
}

/** `nx run svc-a:affected-deploy` in `clone`, in the background. */
function startDeploy(clone: string, env: string, environmentFile: string): Running {
  const child = spawn(
    process.execPath,
    [join(clone, 'node_modules', '.bin', 'nx'), 'run', 'svc-a:affected-deploy', `--env=${env}`, '--leaseTimeout=300'],
    { cwd: clone, env: withoutForceColor(nxEnv({ LOCKSTEP_E2E_ENVIRONMENT: environmentFile })) },
  );
  let output = '';
  let exited = false;
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code) => {
      exited = true;
      resolve({ code: code ?? 1, output });
    }),
  );
  return { done, output: () => output, exited: () => exited };
}

/** As a CI log: not a terminal, no FORCE_COLOR of the caller's. */
function withoutForceColor(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.FORCE_COLOR;
  return copy;
}

async function until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('affected-deploy: two overlapping runs of one deployable to one environment (deploy lease)', () => {
  let ws: DeployWorkspace;
  let o: string;
  let n: string;
  let cloneO: string;
  let cloneN: string;
  let dir: string;

  beforeAll(() => {
    ws = createDeployWorkspace('lease');
    // Deployed once to staging at the start, so both O and N are changes since the marker.
    ws.nx(['run', 'svc-a:affected-deploy', '--env=staging']);
    const greet = (word: string) => `export function greet(name: string): string {\n  return '${word} ' + name;\n}\n`;
    o = ws.commitAndPush({ 'libs/shared/src/index.ts': greet('hi') }, 'shared: hi');
    n = ws.commitAndPush({ 'libs/shared/src/index.ts': greet('hey') }, 'shared: hey');
    cloneO = ws.clone('at-o');
    git(cloneO, 'checkout', '-q', '--detach', o);
    cloneN = ws.clone('at-n');
    dir = mkdtempSync(join(E2E_HOME, 'lease-env-'));
  });
  afterAll(() => {
    ws?.remove();
    if (process.env.LOCKSTEP_E2E_KEEP === '1') return;
    for (const path of [cloneO, cloneN, dir]) if (path) rmSync(path, { recursive: true, force: true });
  });

  const leaseHeld = (env: string) =>
    git(ws.origin, 'for-each-ref', '--format=%(refname)', `refs/lockstep/leases/${env}/svc-a`) !== '';
  const events = (file: string) =>
    existsSync(`${file}.events`) ? readFileSync(`${file}.events`, 'utf8').trim().split('\n') : [];

  it('O arriving while N deploys never deploys after it: the environment and the marker end at N', async () => {
    const environment = join(dir, 'staging');
    const runN = startDeploy(cloneN, 'staging', environment);
    await until(() => events(environment).length > 0, "N's deploy to start");
    const runO = startDeploy(cloneO, 'staging', environment);
    // N's deploy runs until O has either finished or started deploying itself (the overlap).
    await until(() => runO.exited() || events(environment).length > 1, 'O to finish or to deploy');
    writeFileSync(`${environment}.go`, '');
    const [doneN, doneO] = await Promise.all([runN.done, runO.done]);
    expect(doneN.code, doneN.output).toBe(0);
    expect(doneO.code, doneO.output).toBe(0);

    expect(events(environment)).toEqual([`start ${n}`, `end ${n}`]);
    expect(readFileSync(environment, 'utf8')).toBe(n);
    expect(ws.remoteMarker('svc-a', 'staging')).toBe(n);
    expect(doneO.output).toContain(
      `skipped: a newer commit of svc-a, ${n.slice(0, 8)}, is being deployed to staging (host `,
    );
    expect(leaseHeld('staging')).toBe(false);
  });

  it('N arriving while O deploys waits for it, decides again from the moved marker, and deploys after it', async () => {
    const environment = join(dir, 'production');
    const runO = startDeploy(cloneO, 'production', environment);
    await until(() => events(environment).length > 0, "O's deploy to start");
    const runN = startDeploy(cloneN, 'production', environment);
    // O's deploy runs until N is waiting for the lease, or has started deploying (the overlap).
    await until(() => /waiting for/.test(runN.output()) || events(environment).length > 1, 'N to wait or deploy');
    writeFileSync(`${environment}.go`, '');
    const [doneO, doneN] = await Promise.all([runO.done, runN.done]);
    expect(doneO.code, doneO.output).toBe(0);
    expect(doneN.code, doneN.output).toBe(0);

    // Never overlapping: O starts and ends, then N starts and ends.
    expect(events(environment)).toEqual([`start ${o}`, `end ${o}`, `start ${n}`, `end ${n}`]);
    expect(readFileSync(environment, 'utf8')).toBe(n);
    expect(ws.remoteMarker('svc-a', 'production')).toBe(n);
    expect(doneN.output).toMatch(
      /waiting for refs\/lockstep\/leases\/production\/svc-a: another deploy holds it \(held by host .* pid \d+/,
    );
    expect(doneN.output).toContain(`moved to ${o.slice(0, 8)} meanwhile: deciding again`);
    expect(doneN.output).toContain(`changes ${o.slice(0, 8)}..${n.slice(0, 8)}`);
    // Not on a terminal: the inner `nx run svc-a:deploy` prints no colour codes (the outer nx
    // colours its own lines under CI=true, as picocolors does for every CI).
    expect(doneN.output).toContain('\n> nx run svc-a:deploy\n');
    expect(doneN.output).toContain(
      '\n NX   Successfully ran target deploy for project svc-a and 1 task it depends on\n',
    );
    expect(leaseHeld('production')).toBe(false);
  });
});
