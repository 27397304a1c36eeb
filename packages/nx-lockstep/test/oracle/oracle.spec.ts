/**
 * The deploy-impact oracle: on generated workspaces with random edits, every deployable whose
 * esbuild bundle changes, or whose own root has a changed file (DESIGN.md: its own root ships
 * whole), must be reported affected at every precision (no misses), and the
 * precisions must nest: symbol ⊆ file ⊆ project. Project precision must also agree with
 * `nx show projects --affected` on the same range.
 *
 * Everything is real: a generated Nx workspace on disk, a git repository with a bare remote,
 * esbuild for the truth, the real nx binary. Seeds are printed; reproduce one (from the repository's root) with
 *   LOCKSTEP_ORACLE_SEEDS=<seed> npx vitest run --project unit test/oracle
 * and widen the search with e.g. LOCKSTEP_ORACLE_SEEDS=1-50 (LOCKSTEP_ORACLE_TIMEOUT=<ms> per seed on a busy machine).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../../src/engine';
import type { AffectedResult, Precision } from '../../src/core/result';
// Shared with scripts/bench.mjs, so the bench measures the workspaces the oracle checks.
import { EDIT_KINDS, REPO_ROOT, SyntheticWorkspace } from '../../../../scripts/lib/synthetic-workspace.mjs';
import { bundleAll, changedPaths, neededDeploys } from '../../../../scripts/lib/bundle-truth.mjs';

const PRECISIONS: Precision[] = ['symbol', 'file', 'project'];
// The plugin is registered in the generated nx.json from the built dist when there is one (`npm test`
// builds first), so Nx's graph also carries its createDependencies edges. Not from source: loaded
// through Nx's swc transpiler it fails ("Cannot read properties of undefined (reading 'isMatch')",
// the default import of micromatch).
// LOCKSTEP_ORACLE_PLUGIN=off leaves it out; =/abs/path/dist/index.js uses another build.
const BUILT_PLUGIN =
  process.env.LOCKSTEP_ORACLE_PLUGIN ?? fileURLToPath(new URL('../../dist/index.js', import.meta.url));
const PLUGIN = BUILT_PLUGIN === 'off' || !existsSync(BUILT_PLUGIN) ? null : BUILT_PLUGIN;
const EDITS_PER_SEED = 5;
// A seed takes about a minute on an idle machine; a wide search on a shared one may need more.
const SEED_TIMEOUT = Number(process.env.LOCKSTEP_ORACLE_TIMEOUT ?? 240_000);

// Nx in tests: no daemon, no plugin workers, no cloud prompt.
Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

const scratch = mkdtempSync(join(tmpdir(), 'lockstep-oracle-'));
afterAll(() => {
  if (!process.env.LOCKSTEP_ORACLE_KEEP) rmSync(scratch, { recursive: true, force: true });
});

function seeds(): number[] {
  const spec = process.env.LOCKSTEP_ORACLE_SEEDS;
  if (!spec) return [1, 5, 10, 15]; // together they cover every edit kind
  return spec.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number);
    if (!Number.isInteger(from) || (to !== undefined && !Number.isInteger(to))) {
      throw new Error(`LOCKSTEP_ORACLE_SEEDS: "${spec}" is not a seed list; use e.g. "7" or "1,5,9" or "1-20"`);
    }
    return to === undefined ? [from] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

function affectedSet(result: AffectedResult): Set<string> {
  return new Set(result.deployables.filter((d) => d.affected).map((d) => d.project));
}

function nxAffected(root: string, base: string, head: string, deployables: Set<string>): Set<string> {
  const out = execFileSync(
    join(REPO_ROOT, 'node_modules', '.bin', 'nx'),
    ['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json'],
    {
      cwd: root,
      encoding: 'utf8',
      env: process.env,
    },
  );
  return new Set((JSON.parse(out) as string[]).filter((p) => deployables.has(p)));
}

interface Step {
  label: string;
  base: string;
  head: string;
  needed: string[];
}

describe('deploy-impact oracle (esbuild bundles are the truth)', () => {
  for (const seed of seeds()) {
    it(
      `seed ${seed}: no deployable whose bundle changed is missed, symbol ⊆ file ⊆ project`,
      { timeout: SEED_TIMEOUT },
      async () => {
        console.log(
          `[oracle] seed ${seed} (nx-lockstep plugin in nx.json: ${PLUGIN ?? 'no built dist'}) — reproduce: LOCKSTEP_ORACLE_SEEDS=${seed} npx vitest run --project unit test/oracle`,
        );
        const workspace = SyntheticWorkspace.create(join(scratch, `seed-${seed}`), {
          seed,
          libs: 15,
          deployables: 4,
          filesPerLib: 3,
          pluginPath: PLUGIN,
        });
        const deployables = new Set(workspace.deployables.map((d) => d.name));
        const problems: string[] = [];

        const checkStep = async (step: Step) => {
          const sets = {} as Record<Precision, Set<string>>;
          for (const precision of PRECISIONS) {
            const result = await analyzeAffected({
              workspaceRoot: workspace.root,
              base: step.base,
              head: step.head,
              precision,
            });
            expect(result.precision).toBe(precision);
            expect(new Set(result.deployables.map((d) => d.project))).toEqual(deployables);
            for (const d of result.deployables) {
              if (d.affected && d.reasons.length === 0)
                problems.push(`${step.label}: ${precision} marks ${d.project} affected without a reason`);
            }
            sets[precision] = affectedSet(result);
            const missed = step.needed.filter((p) => !sets[precision].has(p));
            if (missed.length > 0)
              problems.push(`${step.label}: ${precision} precision missed ${missed.join(', ')} (bundle changed)`);
          }
          for (const [inner, outer] of [
            ['symbol', 'file'],
            ['file', 'project'],
          ] as const) {
            const extra = [...sets[inner]].filter((p) => !sets[outer].has(p));
            if (extra.length > 0) problems.push(`${step.label}: ${inner} ⊄ ${outer} — ${extra.join(', ')}`);
          }
          if (step.label === 'all edits') {
            const nx = nxAffected(workspace.root, step.base, step.head, deployables);
            if ([...sets.project].sort().join() !== [...nx].sort().join()) {
              problems.push(
                `${step.label}: project precision [${[...sets.project]}] ≠ nx show projects --affected [${[...nx]}]`,
              );
            }
          }
          console.log(
            `[oracle] seed ${seed} ${step.label}: needed=[${step.needed}] symbol=[${[...sets.symbol]}] file=[${[...sets.file]}] project=[${[...sets.project]}]`,
          );
        };

        // One commit per edit, analysed right after it is committed (head = the checked-out commit);
        // every edit kind shows up across the default seeds.
        const initial = await bundleAll(workspace.root, workspace.deployables);
        let before = initial;
        let base = workspace.baseSha as string;
        for (let n = 0; n < EDITS_PER_SEED; n++) {
          const edit = workspace.applyEdit(EDIT_KINDS[(seed + n) % EDIT_KINDS.length]);
          const head = workspace.commit(`${edit.kind}: ${edit.description}`);
          const after = await bundleAll(workspace.root, workspace.deployables);
          await checkStep({
            label: `edit ${n + 1} [${edit.kind}] ${edit.description}`,
            base,
            head,
            // An edit of a deployable's own root is needed even where its bundle stays the same.
            needed: neededDeploys(before, after, changedPaths(workspace.root, base, head), workspace.deployables),
          });
          before = after;
          base = head;
        }
        // The whole range at once as well: changes must compose.
        await checkStep({
          label: 'all edits',
          base: workspace.baseSha,
          head: base,
          needed: neededDeploys(
            initial,
            before,
            changedPaths(workspace.root, workspace.baseSha, base),
            workspace.deployables,
          ),
        });

        expect(problems, `seed ${seed} (keep the workspace with LOCKSTEP_ORACLE_KEEP=1)`).toEqual([]);
      },
    );
  }
});
