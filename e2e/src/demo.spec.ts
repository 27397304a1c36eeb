import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, run, type RunResult } from './support';

// `npm run demo` is a product surface: it must run start to finish on the built plugin, and what it
// shows must be what nx-lockstep computes on the example (nothing in the demo is canned).
describe('scripts/demo.mjs', () => {
  let demo: RunResult;
  let base: string | undefined;

  afterAll(() => {
    if (base && process.env.LOCKSTEP_E2E_KEEP !== '1') rmSync(base, { recursive: true, force: true });
  });

  it('runs every step and ends with where the workspace is', () => {
    demo = run([process.execPath, join(REPO_ROOT, 'scripts', 'demo.mjs')], { allowFailure: true, env: { ...process.env, NO_COLOR: '1' } });
    base = /nx-lockstep demo in (\S+)/.exec(demo.stdout)?.[1];
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/Done in [\d.]+s\. The workspace is \S+\/shop\n/);
  });

  it('shows the four deployables and, per commit, fewer deploys at symbol precision than at project precision', () => {
    const rows = Object.fromEntries(
      demo.stdout
        .split('\n')
        .map((line) => /^ {4}(\S.*?)  +(\S.*?)  +(\S.*)$/.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map(([, commit, symbol, project]) => [commit, { symbol, project }]),
    );
    expect(rows['shared-logger: document log levels']).toEqual({ symbol: '(none)', project: 'catalog-api, email-worker, orders-api, storefront' });
    expect(rows['orders-contracts: add optional currency field']?.symbol).toBe('(none)');
    expect(rows['storefront: new banner']).toEqual({ symbol: 'storefront', project: 'storefront' });
  });

  it('deploys catalog-api alone after a catalog-search change', () => {
    const secondRun = demo.stdout.slice(demo.stdout.indexOf('catalog-search: break ties by sku'));
    expect(secondRun).toMatch(/skipped: orders-api unchanged since/);
    expect(secondRun).toMatch(/skipped: storefront unchanged since/);
    expect(secondRun).toMatch(/deploying catalog-api to production \(changes [0-9a-f]{8}\.\.[0-9a-f]{8}\)/);
    expect(secondRun).toContain('marker lockstep/production/catalog-api moved');
  });
});
