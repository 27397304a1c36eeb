/**
 * A small Nx workspace for affected-deploy scenarios: three services (svc-a, svc-b import the
 * library `shared`; svc-c imports nothing), each with a `build` and a `deploy` target that append
 * to deploy.log, `deploy` depending on `build`. A deploy fails while a file `fail-<project>`
 * exists. `origin` is a local bare repository; the plugin comes from its packed tarball.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitAll, git, writeFiles } from './git';
import { nx } from './nx';
import { E2E_HOME } from './paths';
import { packPlugin, REPO_NX_VERSION } from './plugin';
import { run, type RunOptions, type RunResult } from './run';

export const SERVICES = ['svc-a', 'svc-b', 'svc-c'] as const;

export interface DeployWorkspace {
  /** The Nx workspace. */
  root: string;
  /** The git repository's root: `root`, or its parent when the workspace is in a folder. */
  repository: string;
  origin: string;
  git(...args: string[]): string;
  commitAll(message: string): string;
  /** Commits and pushes to origin/main; returns the sha. */
  commitAndPush(files: Record<string, string>, message: string): string;
  nx(args: string[], options?: RunOptions): RunResult;
  run(command: string | string[], options?: RunOptions): RunResult;
  /** Lines of deploy.log appended since the last call: "build svc-a", "deploy svc-a production <sha>". */
  takeLog(): string[];
  /** The commit the marker of (project, env) points at on origin, or null. */
  remoteMarker(project: string, env?: string): string | null;
  clone(name: string, ...cloneArgs: string[]): string;
  remove(): void;
}

/** The tarball under test: LOCKSTEP_E2E_TARBALL (a private build) or the packed packages/nx-lockstep. */
export function lockstepTarball(): string {
  return process.env.LOCKSTEP_E2E_TARBALL ?? packPlugin().tarball;
}

const DEPLOY_SCRIPT = `// Stand-in for a real deploy: records what ran, fails on request.
const { appendFileSync, existsSync } = require('node:fs');
const [step, project] = process.argv.slice(2);
if (step === 'deploy' && existsSync('fail-' + project)) {
  console.error('deploy of ' + project + ' failed (fail-' + project + ' exists)');
  process.exit(1);
}
const line = step === 'deploy' ? [step, project, process.env.LOCKSTEP_ENV, process.env.LOCKSTEP_HEAD].join(' ') : step + ' ' + project;
appendFileSync('deploy.log', line + '\\n');
// A shared "environment" for overlap tests: a deploy that records when it starts and ends, runs
// until the test lets it finish, and leaves the environment running its commit.
const shared = process.env.LOCKSTEP_E2E_ENVIRONMENT;
if (step === 'deploy' && shared) {
  appendFileSync(shared + '.events', 'start ' + process.env.LOCKSTEP_HEAD + '\\n');
  // Held until the test creates <environment>.go (at most two minutes): the test decides when it ends.
  for (let waited = 0; !existsSync(shared + '.go') && waited < 120000; waited += 100) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  require('node:fs').writeFileSync(shared, process.env.LOCKSTEP_HEAD);
  appendFileSync(shared + '.events', 'end ' + process.env.LOCKSTEP_HEAD + '\\n');
}
`;

function serviceFiles(name: string, importsShared: boolean): Record<string, string> {
  return {
    [`apps/${name}/project.json`]: JSON.stringify(
      {
        name,
        sourceRoot: `apps/${name}/src`,
        projectType: 'application',
        targets: {
          build: { command: `node tools/step.cjs build ${name}` },
          deploy: { command: `node tools/step.cjs deploy ${name}`, dependsOn: ['build'] },
        },
      },
      null,
      2,
    ),
    [`apps/${name}/src/main.ts`]: importsShared
      ? `import { greet } from '@e2e/shared';\n\nconsole.log(greet('${name}'));\n`
      : `console.log('${name} stands alone');\n`,
  };
}

const WORKSPACE_FILES: Record<string, string> = {
  '.gitignore': 'node_modules\n.nx\ndist\ndeploy.log\nfail-*\n',
  'nx.json': JSON.stringify(
    {
      $schema: './node_modules/nx/schemas/nx-schema.json',
      analytics: false,
      neverConnectToCloud: true,
      plugins: [{ plugin: 'nx-lockstep', options: { precision: 'file' } }],
    },
    null,
    2,
  ),
  'tsconfig.base.json': JSON.stringify(
    {
      compilerOptions: {
        target: 'es2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        paths: { '@e2e/shared': ['./libs/shared/src/index.ts'] },
      },
    },
    null,
    2,
  ),
  'tools/step.cjs': DEPLOY_SCRIPT,
  'libs/shared/project.json': JSON.stringify(
    { name: 'shared', sourceRoot: 'libs/shared/src', projectType: 'library' },
    null,
    2,
  ),
  'libs/shared/src/index.ts': `export function greet(name: string): string {\n  return 'hello ' + name;\n}\n`,
  ...serviceFiles('svc-a', true),
  ...serviceFiles('svc-b', true),
  ...serviceFiles('svc-c', false),
};

/**
 * `folder` puts the Nx workspace in that folder of the git repository (`repo/mono/nx.json`);
 * `root` is then the workspace and `repository` the git root.
 */
export function createDeployWorkspace(name = 'deploy', options: { folder?: string } = {}): DeployWorkspace {
  const tarball = lockstepTarball();
  mkdirSync(E2E_HOME, { recursive: true });
  const repository = mkdtempSync(join(E2E_HOME, `ws-${name}-`));
  const root = options.folder ? join(repository, options.folder) : repository;
  mkdirSync(root, { recursive: true });
  const origin = `${repository}-origin.git`;
  run(['git', 'init', '-q', '--bare', '-b', 'main', origin]);
  git(repository, 'init', '-q', '-b', 'main');
  git(repository, 'config', 'user.email', 'e2e@example.com');
  git(repository, 'config', 'user.name', 'e2e');
  git(repository, 'remote', 'add', 'origin', origin);

  const template = installTemplate(tarball);
  run(['cp', '-al', join(template, 'node_modules'), join(root, 'node_modules')]);
  cpSync(join(template, 'package.json'), join(root, 'package.json'));
  writeFiles(root, WORKSPACE_FILES);
  commitAll(root, 'Initial services');
  git(root, 'push', '-q', 'origin', 'main');

  let logLength = 0;
  const workspace: DeployWorkspace = {
    root,
    repository,
    origin,
    git: (...args) => git(root, ...args),
    commitAll: (message) => commitAll(root, message),
    commitAndPush: (files, message) => {
      writeFiles(root, files);
      const sha = commitAll(root, message);
      git(root, 'push', '-q', 'origin', 'main');
      return sha;
    },
    nx: (args, options) => nx(root, args, options),
    run: (command, options = {}) => run(command, { cwd: root, ...options }),
    takeLog: () => {
      const path = join(root, 'deploy.log');
      const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
      const lines = text.slice(logLength).split('\n').filter(Boolean);
      logLength = text.length;
      return lines;
    },
    remoteMarker: (project, env = 'production') =>
      git(origin, 'for-each-ref', '--format=%(*objectname)', `refs/tags/lockstep/${env}/${project}`) || null,
    clone: (cloneName, ...cloneArgs) => {
      const target = `${root}-${cloneName}`;
      run(['git', 'clone', '-q', ...cloneArgs, `file://${origin}`, target]);
      run(['cp', '-al', join(root, 'node_modules'), join(target, 'node_modules')]);
      git(target, 'config', 'user.email', 'e2e@example.com');
      git(target, 'config', 'user.name', 'e2e');
      return target;
    },
    remove: () => {
      if (process.env.LOCKSTEP_E2E_KEEP === '1') return;
      for (const path of [repository, origin, `${repository}-shallow`, `${repository}-other`])
        rmSync(path, { recursive: true, force: true });
    },
  };
  return workspace;
}

/** nx, typescript and the tarball installed once per tarball, then hard-linked into each workspace. */
function installTemplate(tarball: string): string {
  const packageJson = `${JSON.stringify(
    {
      name: 'deploy-e2e',
      version: '0.0.0',
      private: true,
      devDependencies: { nx: REPO_NX_VERSION, typescript: '~5.9.3' },
    },
    null,
    2,
  )}\n`;
  // Keyed by what is installed too: a template of another nx version is never reused.
  const key = createHash('sha256')
    .update(readFileSync(tarball))
    .update(packageJson)
    .update(process.version)
    .digest('hex')
    .slice(0, 16);
  const template = join(E2E_HOME, `install-deploy-${key}`);
  if (existsSync(join(template, 'node_modules', 'nx-lockstep', 'package.json'))) return template;
  const staging = mkdtempSync(join(E2E_HOME, `.install-deploy-${key}-`));
  writeFileSync(join(staging, 'package.json'), packageJson);
  // Copy the tarball next to the install so the recorded file: path stays valid.
  cpSync(tarball, join(staging, 'nx-lockstep.tgz'));
  run(
    ['npm', 'install', '-D', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', './nx-lockstep.tgz'],
    { cwd: staging },
  );
  try {
    renameSync(staging, template);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return template;
}
