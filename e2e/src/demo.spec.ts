import { existsSync, readFileSync, rmSync } from 'node:fs';
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
    demo = run([process.execPath, join(REPO_ROOT, 'scripts', 'demo.mjs')], {
      allowFailure: true,
      env: { ...process.env, NO_COLOR: '1' },
    });
    base = /nx-lockstep demo in (\S+)/.exec(demo.stdout)?.[1];
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/Done in [\d.]+s\. The workspace is \S+\/shop\n/);
  });

  it('shows the four deployables and, per commit, fewer deploys at symbol precision than at project precision', () => {
    const rows = tableRows(demo.stdout);
    expect(rows['shared-logger: document log levels']).toEqual({
      symbol: '(none)',
      project: 'catalog-api, email-worker, orders-api, storefront',
    });
    expect(rows['orders-contracts: add optional currency field']?.symbol).toBe('(none)');
    expect(rows['storefront: new banner']).toEqual({ symbol: 'storefront', project: 'storefront' });
  });

  it('shows a hub-library change that Nx deploys to all four and nx-lockstep to orders-api alone, with the import chain', () => {
    const all = 'catalog-api, email-worker, orders-api, storefront';
    expect(tableRows(demo.stdout)['shared-utils: time-ordered ids']).toEqual({ symbol: 'orders-api', project: all });
    const whole = section(demo.stdout, 'One deploy instead of four, and why');
    const second = whole.indexOf('$ npx lockstep explain catalog-api');
    expect(second).toBeGreaterThan(0);
    const step = whole.slice(0, second);
    expect(step).toMatch(new RegExp(`Nx \\(project precision\\): +${all}\n`));
    expect(step).toMatch(/nx-lockstep \(symbol precision\): +orders-api\n/);
    expect(step).toMatch(/\$ npx lockstep explain orders-api --base [0-9a-f]{8}~1 --head [0-9a-f]{8}\n/);
    expect(step).toContain('orders-api: AFFECTED');
    // Every own non-test source of a deployable is an entry point (DESIGN.md, "What a deployable
    // ships"): the chain starts at the nearest one, the route that imports the library.
    const chain = [
      'apps/orders-api/src/routes/orders.ts',
      'libs/shared-utils/src/index.ts',
      'libs/shared-utils/src/lib/ids.ts',
    ];
    expect(
      step
        .split('\n')
        .filter((line) => /^ +(→ )?\S+\.ts$/.test(line))
        .map((line) => line.replace(/^ +(→ )?/, '')),
    ).toEqual(chain);
    expect(step).toMatch(/changed: `?newId`?/);
    // catalog-api imports the changed file too, and says why it does not deploy.
    const notShipped = whole.slice(second);
    expect(notShipped).toContain('catalog-api: not affected — no deploy needed');
    expect(notShipped).toContain(
      '- libs/shared-utils/src/lib/ids.ts: changed `newId`, which this deployable does not use',
    );
  });

  it('deploys catalog-api alone after a catalog-search change', () => {
    const secondRun = demo.stdout.slice(demo.stdout.indexOf('catalog-search: break ties by sku'));
    expect(secondRun).toMatch(/skipped: orders-api unchanged since/);
    expect(secondRun).toMatch(/skipped: storefront unchanged since/);
    expect(secondRun).toMatch(/deploying catalog-api to production \(changes [0-9a-f]{8}\.\.[0-9a-f]{8}\)/);
    expect(secondRun).toContain('marker lockstep/production/catalog-api moved');
  });

  it('keeps the marker of a failed deploy, moves the other, and deploys only the failed one on the next run', () => {
    const deploys = section(demo.stdout, 'Deploy only what a change reached');
    const failing = deploys.slice(
      deploys.indexOf('$ DEPLOY_FAIL=orders-api npx nx run-many'),
      deploys.indexOf('(exit 1:'),
    );
    const retry = deploys.slice(deploys.indexOf('(exit 1:'));
    expect(failing).not.toBe('');
    const stays =
      /deploy of orders-api to production failed; marker lockstep\/production\/orders-api stays at ([0-9a-f]{8}), so the next run deploys it again\./.exec(
        failing,
      );
    expect(stays).not.toBeNull();
    const head = /marker lockstep\/production\/catalog-api moved [0-9a-f]{8} → ([0-9a-f]{8})/.exec(failing)?.[1];
    expect(head).toBeDefined();
    expect(failing).not.toMatch(/marker lockstep\/production\/orders-api (moved|created)/);
    expect(failing).toMatch(/skipped: storefront unchanged/);
    expect(failing).toMatch(/skipped: email-worker unchanged/);

    expect(retry).toContain(`marker lockstep/production/orders-api moved ${stays![1]} → ${head}`);
    expect(retry).toContain(`skipped: catalog-api unchanged since ${head}`);
    expect(retry).toMatch(/skipped: storefront unchanged/);
    expect(retry).toMatch(/skipped: email-worker unchanged/);
    expect(retry).not.toMatch(/^ {4}deploying (catalog-api|storefront|email-worker)/m);

    const status = section(demo.stdout, 'Where each deployable stands');
    const markers = Object.fromEntries(
      [...status.matchAll(/^ {4}(\S+) +([0-9a-f]{8}) /gm)].map(([, project, sha]) => [project, sha]),
    );
    expect(markers).toEqual({
      'catalog-api': head,
      'orders-api': head,
      'email-worker': stays![1],
      storefront: stays![1],
    });
  });

  it('shows the generated GitHub workflow of catalog-api, condensed, and where the full file is', () => {
    const step = section(demo.stdout, 'One pipeline per deployable');
    const path = /The full file: (\S+\/\.github\/workflows\/deploy-catalog-api\.yml)/.exec(step)?.[1];
    expect(path).toBeDefined();
    expect(existsSync(path!)).toBe(true);
    const shown = step
      .slice(step.indexOf('$ cat .github/workflows/deploy-catalog-api.yml'), step.indexOf('The full file:'))
      .split('\n')
      .slice(1);
    for (const line of [
      'name: deploy catalog-api',
      '      - apps/catalog-api/**',
      '      - libs/catalog-search/**',
      '      group: deploy-catalog-api-production',
    ]) {
      expect(shown).toContain(`    ${line}`);
    }
    // The installed nx and lockstep (npx only as the fallback), through a shell function of their name.
    expect(shown.join('\n')).toMatch(/\n +nx run "\$LOCKSTEP_PROJECT:affected-deploy" --env=production/);
    // Its own verify job comes first, and the deploy needs it.
    expect(shown.join('\n')).toMatch(/\n +lockstep verify-targets "\$LOCKSTEP_PROJECT" --env=production --run/);
    expect(shown.join('\n')).not.toContain('libs/email-templates/**');
    // Condensed, not invented: every shown line but the one standing for the setup steps is in the file, in order.
    const file = readFileSync(path!, 'utf8').split('\n');
    let at = 0;
    for (const line of shown.map((l) => l.replace(/^ {4}/, '')).filter((l) => l.trim() && !l.includes('- …'))) {
      const found = file.indexOf(line, at);
      expect(found, line).toBeGreaterThanOrEqual(at);
      at = found + 1;
    }
  });
});

/** The text of the demo step titled `title`, up to the next step. */
function section(stdout: string, title: string): string {
  const start = stdout.search(new RegExp(`^\\d+\\. ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  expect(start, `step "${title}"`).toBeGreaterThanOrEqual(0);
  const body = stdout.indexOf('\n', start) + 1;
  const next = stdout.slice(body).search(/^(\d+\. |Done in )/m);
  return stdout.slice(start, next < 0 ? undefined : body + next);
}

/** The per-commit table: commit message → the two deployable lists. */
function tableRows(stdout: string): Record<string, { symbol: string; project: string }> {
  return Object.fromEntries(
    section(stdout, 'What each commit reaches')
      .split('\n')
      .map((line) => /^ {4}(\S.*?)  +(\S.*?)  +(\S.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map(([, commit, symbol, project]) => [commit, { symbol, project }]),
  );
}
