/**
 * The affected-deploy flow for one project and one environment:
 * its marker → deploy or skip, with reasons → run its deploy target through Nx (so `dependsOn`,
 * e.g. build, runs too) → only on success move the marker to HEAD.
 * Anything that makes the run untrustworthy fails before deploying; anything uncertain in the
 * analysis deploys (safety rule 1).
 */
import type { ExecutorContext } from '@nx/devkit';
import type { AnalyzeRequest, analyzeAffected } from '../../adapters/analyze';
import { workspaceGraphOf, type NxProjectGraph } from '../../adapters/nx/graph-worker';
import type { WorkspaceProjectGraph } from '../../adapters/nx-project-graph';
import { git, isAncestor, isShallow, isValidRef, resolveCommit } from '../../adapters/markers/git';
import type { MarkerFacts } from '../../core/affected/decide-from-marker';
import { refFormatProblem } from '../../core/ref-format';
import { fetchMarkers, fetchWarning, listLocalMarkers } from '../../adapters/markers/read-markers';
import { writeMarker, type WriteMarkerResult } from '../../adapters/markers/write-marker';
import { acquireLease, releaseCommand } from '../../adapters/markers/lease';
import { describeHolder, leaseRefName } from '../../core/lease';
import { hostname } from 'node:os';
import { formatReasonLine } from '../../core/format-reason';
import { ciRunId, type DeployMarker } from '../../core/markers';
import type { AffectedResult, DeployableDecision } from '../../core/result';
import { decideDeploy } from './decide-deploy';
import { markerMessage, newerDeployMessage, short, skippedMessage } from './deploy-messages';
import { readDeploySettings, type DeploySettings } from './deploy-settings';
import { runDeployTarget } from './run-deploy-target';
import type { AffectedDeployExecutorSchema } from './schema';

export type { AnalyzeRequest };

export interface AffectedDeployDeps {
  analyze(request: AnalyzeRequest): Promise<AffectedResult>;
  /** Runs `<project>:<target>` with its dependsOn; resolves true on success. */
  runDeploy(workspaceRoot: string, project: string, target: string, env: Record<string, string>): Promise<boolean>;
  writeMarker: typeof writeMarker;
  acquireLease: typeof acquireLease;
  log(line: string): void;
  warn(line: string): void;
  env: Record<string, string | undefined>;
}

export interface AffectedDeployOutcome {
  success: boolean;
  decision?: DeployableDecision;
  deployed: boolean;
  marker?: WriteMarkerResult;
  /** Why it stopped, when it did not succeed. */
  error?: string;
}

export async function runAffectedDeploy(
  options: AffectedDeployExecutorSchema,
  context: ExecutorContext,
  deps: AffectedDeployDeps = realDeps(),
): Promise<AffectedDeployOutcome> {
  try {
    const settings = readDeploySettings(options, context);
    return await affectedDeploy(options, settings, withProjectsOf(context, settings.project, deps));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.log(`affected-deploy: ${message}`);
    return { success: false, deployed: false, error: message };
  }
}

/**
 * The analysis takes its projects from the graph Nx already holds for this run
 * (ExecutorContext.projectGraph, read from the working tree as the analysis would read it),
 * instead of from its projects cache or, when that does not hold, from Nx started again in a
 * child process (~1 s at 5,000 files). Only when that graph knows the project being deployed.
 */
function withProjectsOf(context: ExecutorContext, project: string, deps: AffectedDeployDeps): AffectedDeployDeps {
  const nxGraph = context.projectGraph as unknown as NxProjectGraph | undefined;
  if (!nxGraph?.nodes?.[project] || !nxGraph.dependencies) return deps;
  let projectGraph: WorkspaceProjectGraph | undefined;
  return {
    ...deps,
    analyze: (request) => deps.analyze({ ...request, projectGraph: (projectGraph ??= workspaceGraphOf(nxGraph)) }),
  };
}

// Long on purpose: the steps of one deploy in the order they must happen (names, lease, marker,
// decision, deploy, marker, release), each a call with its own comment.
async function affectedDeploy(
  options: AffectedDeployExecutorSchema,
  settings: DeploySettings,
  deps: AffectedDeployDeps,
): Promise<AffectedDeployOutcome> {
  const { root, project, env } = settings;
  const checkout = inspectCheckout(root, deps);
  const { head } = checkout;
  // Every ref this run will write, checked before anything is deployed: by git's rules here, and
  // by git itself before refusing one (it is the authority; core/ref-format.ts only saves a process).
  for (const ref of [`refs/tags/${settings.tag}`, leaseRefName(settings.prefix, env, settings.projectRef)]) {
    if (refFormatProblem(ref) !== undefined && !isValidRef(root, ref)) {
      throw new Error(
        `git refuses the ref name "${ref}" (git check-ref-format), so ${project} could not record its deploy; ` +
          `nothing was deployed. Change the "markerPrefix" option or the environment name.`,
      );
    }
  }
  const marker = loadMarker(settings, deps);

  const decision = await decideFromMarkerNow(options, settings, checkout, marker, deps);
  if (!decision.affected) {
    const headBehindMarker = isHeadBehind(root, head, marker, checkout);
    deps.log(skippedMessage(project, head, decision.base, marker, headBehindMarker));
    return { success: true, decision, deployed: false };
  }

  logDecision(options, settings, head, decision, deps);
  if (options.dryRun) {
    deps.log(`dry run: would run ${project}:${settings.deployTarget}; ${stays(settings, marker)}.`);
    return { success: true, decision, deployed: false };
  }

  // One deploy of (project, env) at a time: wait for a running one, then decide again.
  const acquired = await deps.acquireLease(root, {
    project,
    projectRef: settings.projectRef,
    env,
    prefix: settings.prefix,
    remote: settings.remote,
    push: settings.pushMarker,
    commit: head,
    holder: describeHolder(hostname(), process.pid, deps.env),
    timeoutSeconds: settings.leaseTimeout,
    expirySeconds: settings.leaseExpiry,
    yieldToNewer: !options.force,
    log: deps.log,
  });
  if (acquired.state === 'newer-holder') {
    deps.log(newerDeployMessage(project, env, head, acquired.holder));
    return { success: true, decision, deployed: false };
  }
  const lease = acquired.lease;
  // Renewed while the deploy runs, so only a dead deploy's lease ever expires. A failed renewal
  // (lost lease, network) is reported, never thrown: the deploy already runs.
  const renewal = setInterval(
    () => {
      const renewed = attempt(() => lease.renew());
      if (renewed === true) return;
      clearInterval(renewal);
      deps.warn(
        renewed === false
          ? `lost the deploy lease ${lease.ref}: another run took it over after it expired.`
          : `could not renew the deploy lease ${lease.ref}: ${renewed.message}`,
      );
    },
    Math.max(1000, (settings.leaseExpiry * 1000) / 3),
  );
  renewal.unref();
  try {
    return await deployUnderLease(options, settings, checkout, decision, marker, deps);
  } finally {
    clearInterval(renewal);
    const released = attempt(() => lease.release());
    if (released === false) deps.warn(`the deploy lease ${lease.ref} was no longer ours to release.`);
    else if (released !== true) {
      deps.warn(
        `could not release the deploy lease ${lease.ref} (${released.message}); it expires by itself, ` +
          `or release it now: ${releaseCommand({ push: settings.pushMarker, remote: settings.remote }, lease.ref)}`,
      );
    }
  }
}

/** The deploy decision from `marker` as it is now: before the lease, and again if it moved meanwhile. */
function decideFromMarkerNow(
  options: AffectedDeployExecutorSchema,
  settings: DeploySettings,
  checkout: Checkout,
  marker: DeployMarker | null,
  deps: AffectedDeployDeps,
): Promise<DeployableDecision> {
  return decideDeploy({
    settings,
    head: checkout.head,
    marker,
    base: options.base,
    force: options.force,
    shallow: checkout.shallow,
    analyze: deps.analyze,
    warn: deps.warn,
    onMarkerFacts: (facts) => (checkout.facts = facts),
  });
}

/** HEAD is behind `marker` (an old run): from what deciding asked git already, else from git. */
function isHeadBehind(root: string, head: string, marker: DeployMarker | null, checkout: Checkout): boolean {
  if (marker === null || marker.sha === head) return false;
  const known = checkout.facts?.marker === marker.sha ? checkout.facts.headIsAncestorOfMarker : undefined;
  return (known ?? isAncestor(root, head, marker.sha)) === true;
}

function attempt(action: () => boolean): boolean | Error {
  try {
    return action();
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Holding the lease: read the marker again (a deploy that held it may have moved it), decide
 * again when it moved, deploy, and only on success move the marker.
 */
async function deployUnderLease(
  options: AffectedDeployExecutorSchema,
  settings: DeploySettings,
  checkout: Checkout,
  first: DeployableDecision,
  firstMarker: DeployMarker | null,
  deps: AffectedDeployDeps,
): Promise<AffectedDeployOutcome> {
  const { root, project, env } = settings;
  const { head } = checkout;
  const marker = loadMarker(settings, deps);
  let decision = first;
  if ((marker?.tagObject ?? null) !== (firstMarker?.tagObject ?? null)) {
    deps.log(`marker ${settings.tag} moved to ${marker ? short(marker.sha) : 'nothing'} meanwhile: deciding again.`);
    decision = await decideFromMarkerNow(options, settings, checkout, marker, deps);
    const headBehindMarker = isHeadBehind(root, head, marker, checkout);
    // An older commit never deploys over a newer one (unless --force asks for the rollback).
    if (!decision.affected || (headBehindMarker && !options.force)) {
      deps.log(skippedMessage(project, head, decision.base, marker, headBehindMarker));
      return { success: true, decision: { ...decision, affected: false }, deployed: false };
    }
    logDecision(options, settings, head, decision, deps);
  }

  const ok = await deps.runDeploy(root, project, settings.deployTarget, {
    LOCKSTEP_PROJECT: project,
    LOCKSTEP_ENV: env,
    LOCKSTEP_HEAD: head,
    LOCKSTEP_BASE: decision.base ?? '',
    // The inferred docker deploy tags its image with LOCKSTEP_SHA; a caller's own value wins.
    LOCKSTEP_SHA: deps.env.LOCKSTEP_SHA || head,
  });
  if (!ok) {
    const message = `deploy of ${project} to ${env} failed; ${stays(settings, marker)}, so the next run deploys it again.`;
    deps.log(message);
    return { success: false, decision, deployed: false, error: message };
  }

  try {
    const written = deps.writeMarker(root, {
      project,
      env,
      prefix: settings.prefix,
      remote: settings.remote,
      head,
      push: settings.pushMarker,
      runId: ciRunId(deps.env),
    });
    deps.log(markerMessage(written, settings.pushMarker ? settings.remote : undefined));
    return { success: true, decision, deployed: true, marker: written };
  } catch (error) {
    // Deployed, but unrecorded: the next run deploys again (safe), and this run says so loudly.
    const message = `${project} was deployed, but its marker could not be recorded: ${error instanceof Error ? error.message : String(error)}`;
    deps.log(message);
    return { success: false, decision, deployed: true, error: message };
  }
}

function stays(settings: DeploySettings, marker: DeployMarker | null): string {
  return marker
    ? `marker ${settings.tag} stays at ${short(marker.sha)}`
    : `no marker yet (${settings.tag} is created by the first successful deploy)`;
}

function logDecision(
  options: AffectedDeployExecutorSchema,
  settings: DeploySettings,
  head: string,
  decision: DeployableDecision,
  deps: AffectedDeployDeps,
): void {
  const range = decision.base ? `changes ${short(decision.base)}..${short(head)}` : `at ${short(head)}`;
  deps.log(`${options.dryRun ? 'would deploy' : 'deploying'} ${settings.project} to ${settings.env} (${range}):`);
  for (const reason of decision.reasons) deps.log(`  - ${formatReasonLine(reason)}`);
}

/** The commit being deployed, and what git said about the clone on the way. */
interface Checkout {
  head: string;
  shallow: boolean;
  /** The last marker decision's facts (deciding again replaces them). */
  facts?: MarkerFacts;
}

/** The commit to deploy (HEAD), with notes on a detached HEAD and uncommitted changes. */
function inspectCheckout(root: string, deps: AffectedDeployDeps): Checkout {
  // One git process for the usual checkout: a repository, whether it is shallow, HEAD's commit
  // and the branch HEAD names ("HEAD" when detached). Anything else is asked apart, with its message.
  const out = git(root, [
    'rev-parse',
    '--git-dir',
    '--is-shallow-repository',
    'HEAD^{commit}',
    '--symbolic-full-name',
    'HEAD',
  ]);
  const lines = out.stdout.trim().split('\n');
  const batched = out.code === 0 && lines.length === 4 && /^[0-9a-f]{40,64}$/.test(lines[2]);
  if (!batched && git(root, ['rev-parse', '--git-dir']).code !== 0) {
    throw new Error(`${root} is not a git repository: deploy markers are git tags, so affected-deploy needs one.`);
  }
  const head = batched ? lines[2] : resolveCommit(root, 'HEAD');
  const shallow = batched ? lines[1] === 'true' : isShallow(root);
  const detached = batched ? lines[3] === 'HEAD' : git(root, ['symbolic-ref', '-q', 'HEAD']).code !== 0;
  // Detached is fine: CI checks out commits detached (GitHub pull requests); the commit is what counts.
  if (detached) {
    deps.log(`note: detached HEAD, deploying commit ${short(head)} (as CI checkouts do).`);
  }
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']).stdout.split('\n').filter(Boolean);
  if (dirty.length) {
    const files =
      dirty
        .slice(0, 3)
        .map((line) => line.slice(3))
        .join(', ') + (dirty.length > 3 ? ', …' : '');
    deps.warn(
      `uncommitted changes in ${dirty.length} tracked file(s) (${files}): the decision and the marker cover the committed code ` +
        `up to ${short(head)} only; the deploy command still runs on the working tree as it is.`,
    );
  }
  return { head, shallow };
}

/** The (project, env) marker, after mirroring the remote's; without a remote, local tags only. */
function loadMarker(settings: DeploySettings, deps: AffectedDeployDeps): DeployMarker | null {
  const { root, remote, tag, pushMarker, prefix } = settings;
  const fetched = fetchMarkers(root, prefix, remote);
  if (fetched.state === 'no-remote') {
    // A marker nobody else sees would make every other pipeline deploy again: refuse, unless asked.
    if (pushMarker) {
      throw new Error(
        `There is no git remote "${remote}" to share the deploy marker "${tag}" with, so nothing was deployed. ` +
          `Add the remote (git remote add ${remote} <url>), set the plugin option "remote", or pass --pushMarker=false to keep markers in local tags.`,
      );
    }
    deps.warn(`no git remote "${remote}": the marker "${tag}" is read from and written to local tags only.`);
  } else if (fetched.state === 'failed') {
    if (pushMarker)
      throw new Error(`Cannot read deploy markers from remote "${remote}", so nothing was deployed: ${fetched.detail}`);
    deps.warn(fetchWarning(fetched, remote)!);
  }
  return listLocalMarkers(root, settings.env, prefix)[settings.project] ?? null;
}

export function realDeps(): AffectedDeployDeps {
  return {
    analyze: async (request) => {
      // Loaded on use: the engine pulls in ts-morph, which a skipped run never needs.
      // Loaded only when a marker leaves something to analyse: most runs decide from git alone.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const engine = require('../../adapters/analyze') as { analyzeAffected: typeof analyzeAffected };
      // The compiler through the workspace's code cache (Nx's own module loader stays as it is):
      // a CI job that restores the analysis's caches compiles it from the cache (~0.25 s less).
      const { cachedCompilerLoader } =
        require('../../adapters/compile-cache') as typeof import('../../adapters/compile-cache');
      const { setCompilerLoader } =
        require('../../core/extract/typescript-api') as typeof import('../../core/extract/typescript-api');
      /* eslint-enable @typescript-eslint/no-require-imports */
      setCompilerLoader(cachedCompilerLoader(request.workspaceRoot));
      return engine.analyzeAffected(request);
    },
    runDeploy: runDeployTarget,
    writeMarker,
    acquireLease,
    log: (line) => process.stdout.write(`${line}\n`),
    warn: (line) => process.stderr.write(`warning: ${line}\n`),
    env: process.env,
  };
}
