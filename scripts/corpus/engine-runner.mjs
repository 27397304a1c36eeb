// The engine judged by the corpus replay, loaded once per replay process: the three precisions of
// a range run in this process (`analyzeAffected` of the built package's engine) instead of three
// `lockstep affected` processes.
//
// What it saves, without changing what is judged: Node and the engine start once, and the Nx
// projects of the working tree are computed once per checkout. The replay never changes a
// checkout's working tree (every range is read from git; Nx reads the working tree, as the CLI's
// warning "project configuration is read from the working tree" says), so the projects file and
// symbol precision ask for are the same on every range of a repo. Project precision still starts
// Nx for every range: its answer is Nx's affected computation for that range.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The engine of the package whose CLI is `bin` (…/bin/lockstep.js → …/dist/engine.js). */
export function loadEngine(bin) {
  const dist = join(dirname(dirname(bin)), 'dist');
  require(join(dist, 'adapters/compile-cache.js')).enableCompileCache();
  const engine = require(join(dist, 'engine.js'));
  const graphModule = require(join(dist, 'adapters/nx-project-graph.js'));
  const compute = graphModule.readNxProjectsCached;
  if (typeof compute !== 'function' || typeof engine.analyzeAffected !== 'function')
    throw new Error(`${dist} has no analyzeAffected / readNxProjectsCached: build the engine (npm run build)`);
  // One computation per workspace; a failure is not remembered (the next range tries again).
  const projects = new Map();
  graphModule.readNxProjectsCached = (workspaceRoot, key) => {
    let pending = projects.get(workspaceRoot);
    if (!pending) {
      pending = compute(workspaceRoot, key);
      projects.set(workspaceRoot, pending);
      pending.catch(() => projects.delete(workspaceRoot));
    }
    return pending;
  };
  return {
    dist,
    /** `lockstep affected --json` of one precision, as the replay records it: { ok, json | error, ms }. */
    async affected(workspaceRoot, base, head, precision) {
      const started = process.hrtime.bigint();
      try {
        const result = await engine.analyzeAffected({ workspaceRoot, base, head, precision });
        // The CLI prints this object as JSON: the same shape the replay reads from `--json`.
        const json = JSON.parse(JSON.stringify(result));
        return { ok: true, json, ms: Number(process.hrtime.bigint() - started) / 1e6 };
      } catch (error) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        return { ok: false, error: String(error?.stack ?? error).slice(-2000), ms };
      }
    },
  };
}
