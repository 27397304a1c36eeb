/**
 * The inferred `deploy` target for one deployable: a `nx:run-commands` command that follows from
 * its marker file. Commands run from the workspace root (Nx's default cwd) unless the tool reads
 * its config from the current directory, in which case `cwd` is the project root.
 *
 * Image tags: `${LOCKSTEP_SHA:-$(git rev-parse HEAD)}` — the checked-out commit, which is the one
 * deployed (affected-deploy deploys HEAD); LOCKSTEP_SHA overrides it for a caller that builds
 * another commit.
 * This is POSIX shell syntax (Linux/macOS runners).
 */
import type { TargetConfiguration } from '@nx/devkit';
import { technologiesOf, type MarkerFile } from './deploy-marker-files';
import type { LockstepOptions } from '../config/options';

export const IMAGE_TAG = '"${LOCKSTEP_SHA:-$(git rev-parse HEAD)}"';

export interface DeployTargetInput {
  projectName: string;
  /** Workspace-relative project root ('.' for a root project). */
  root: string;
  /** The winning marker; undefined for a deployable known only by its tag. */
  marker?: MarkerFile;
}

export function inferDeployTarget(
  input: DeployTargetInput,
  options: Pick<LockstepOptions, 'docker'>,
): TargetConfiguration {
  const { projectName, root, marker } = input;
  const markerPath = marker ? (marker.outsideRoot ? marker.file : joinRoot(root, marker.file)) : undefined;
  const plan = marker && markerPath ? commandFor(marker, markerPath, input, options) : undefined;
  const command = plan?.command ?? missingDeployCommand(input, 'it is tagged deployable but has no deploy marker file');
  return {
    executor: 'nx:run-commands',
    // A dependsOn on a target the project does not have is ignored by Nx, so this is safe for
    // projects without a build and covers a build inferred by another plugin, which we cannot see.
    dependsOn: ['build'],
    cache: false,
    // A Dockerfile outside the project is an input of its deploy too (Nx's default inputs plus it),
    // so whatever reads the deploy target's inputs sees a change to it.
    ...(marker?.outsideRoot ? { inputs: ['default', '^default', `{workspaceRoot}/${marker.file}`] } : {}),
    options: {
      command,
      ...(plan?.cwd ? { cwd: plan.cwd } : {}),
      ...(plan?.chained ? { forwardAllArgs: false } : {}),
    },
    metadata: {
      technologies: marker ? technologiesOf(marker.kind) : ['nx-lockstep'],
      description: plan
        ? `Deploy ${projectName}: ${plan.summary} (inferred from ${markerPath})`
        : `Placeholder: nx-lockstep cannot tell how to deploy ${projectName}; define your own deploy target`,
    },
  };
}

interface CommandPlan {
  command: string;
  summary: string;
  cwd?: string;
  /** Several commands joined with &&: extra CLI args must not land on the last one. */
  chained?: boolean;
}

function commandFor(
  marker: MarkerFile,
  markerPath: string,
  input: DeployTargetInput,
  options: Pick<LockstepOptions, 'docker'>,
): CommandPlan {
  switch (marker.kind) {
    case 'container': {
      const image = imageName(input.projectName, options.docker);
      // Build context is the workspace root, as Nx's own Docker setups do, so a Dockerfile can COPY
      // the build output from dist/.
      const build = `docker build -f ${quote(markerPath)} -t ${image}:${IMAGE_TAG} .`;
      return options.docker.push
        ? {
            command: `${build} && docker push ${image}:${IMAGE_TAG}`,
            summary: `docker build and docker push ${image}`,
            chained: true,
          }
        : { command: build, summary: `docker build ${image} (push disabled)` };
    }
    case 'fly':
      return { command: `fly deploy --config ${quote(markerPath)}`, summary: 'fly deploy' };
    case 'serverless':
      return {
        command: `serverless deploy --config ${quote(baseName(marker.file))}`,
        summary: 'serverless deploy',
        cwd: dirOf(markerPath),
      };
    case 'wrangler':
      return {
        command: `wrangler deploy --config ${quote(baseName(marker.file))}`,
        summary: 'wrangler deploy',
        cwd: dirOf(markerPath),
      };
    case 'vercel':
      return { command: 'vercel deploy --prod --yes', summary: 'vercel deploy --prod', cwd: dirOf(markerPath) };
    case 'netlify':
      return { command: 'netlify deploy --prod', summary: 'netlify deploy --prod', cwd: dirOf(markerPath) };
    case 'cdk':
      return {
        command: 'cdk deploy --all --require-approval never',
        summary: 'cdk deploy --all',
        cwd: dirOf(markerPath),
      };
    case 'app-engine':
      return { command: `gcloud app deploy ${quote(markerPath)} --quiet`, summary: 'gcloud app deploy' };
    case 'helm': {
      const release = helmReleaseName(input.projectName);
      return {
        command: `helm upgrade --install ${release} ${quote(dirOf(markerPath))} --wait`,
        summary: `helm upgrade --install ${release}`,
      };
    }
    case 'procfile':
      // A Procfile says how to run the app, not where: pushing to some git remote would be a guess
      // that deploys to the wrong place. Fail loudly and say what to write instead.
      return {
        command: missingDeployCommand(
          input,
          `a Procfile says how to run it, not where to deploy it (for Heroku use: git push heroku HEAD:main)`,
        ),
        summary: 'placeholder (a Procfile does not say where to deploy)',
      };
    case 'custom':
      return {
        command: missingDeployCommand(
          input,
          `its marker ${markerPath} is not one nx-lockstep knows a deploy command for`,
        ),
        summary: `placeholder (custom marker ${marker.file})`,
      };
  }
}

/** A command that fails with a message telling the user to define the deploy target themselves. */
export function missingDeployCommand(input: DeployTargetInput, why: string): string {
  const configFile = joinRoot(input.root, 'project.json');
  const message =
    `nx-lockstep cannot infer how to deploy ${input.projectName}: ${why}. ` +
    `Define a deploy target in ${configFile}, e.g. deploy: { command: ./scripts/deploy.sh ${input.projectName} }`;
  // The script sits in double quotes for the shell and single quotes for JS: drop every character
  // that could end either or start an expansion, so no name can inject anything.
  const safe = message.replace(/["'`$\\]/g, '');
  return `node -e "console.error('${safe}'); process.exit(1)"`;
}

/** `{registry}/{imageName}` with `{projectName}` made a valid image path component. */
export function imageName(projectName: string, docker: LockstepOptions['docker']): string {
  const safeName = projectName
    .toLowerCase()
    .replace(/^@/, '')
    .replace(/[^a-z0-9._/-]+/g, '-')
    .replace(/^[._-]+|[._-]+$/g, '');
  const name = docker.imageName.replace(/\{projectName\}/g, safeName);
  return docker.registry ? `${docker.registry.replace(/\/+$/, '')}/${name}` : name;
}

/** Helm release names: lower-case alphanumerics and '-', at most 53 characters. */
export function helmReleaseName(projectName: string): string {
  return projectName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 53)
    .replace(/-+$/, '');
}

/**
 * Paths come from folder names: leave plain ones as they are (readable commands) and single-quote
 * anything the shell would otherwise interpret.
 */
export function quote(value: string): string {
  return /^[A-Za-z0-9_./@:+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

function joinRoot(root: string, file: string): string {
  return root === '.' || root === '' ? file : `${root}/${file}`;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '.' : path.slice(0, slash);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
