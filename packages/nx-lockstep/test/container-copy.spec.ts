/**
 * A miss found while adding journium/journium-docs to the corpus (issue 10): its MCP server's
 * Dockerfile copies the docs site's pages into the image (`COPY apps/docs-app/content/docs
 * ./source-docs`) and serves them at run time. No import and no Nx edge leads from the server to
 * those pages, so a docs edit changed what the image serves and deployed only the site. Here in
 * that shape: real git history, the real nx project graph, the engine end to end.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, deployableProject, type FixtureWorkspace } from './support/fixture-workspace';
import { affectedNames, rangeSteps } from './support/range-steps';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

const DOCKERFILE = [
  'FROM node:22-alpine AS builder',
  'WORKDIR /app',
  'COPY apps/mcp ./',
  '# the docs site pages, served by the server',
  'COPY apps/site/content/docs ./source-docs',
  'COPY package.json pnpm-lock.yaml ./',
  'RUN npm run build',
  'FROM node:22-alpine',
  'COPY --from=builder /app/dist ./dist',
  'COPY --from=builder /app/source-docs ./content',
  'CMD ["node", "dist/index.js"]',
  '',
].join('\n');

/** The deployables Nx's answer is compared on. */
const DEPLOYABLES = ['mcp', 'site'];

describe("files a deployable's Dockerfile copies in from another project (journium-docs shape)", () => {
  let ws: FixtureWorkspace;
  const { step, analyze, nxAffected } = rangeSteps(() => ws);

  beforeAll(() => {
    ws = createFixtureWorkspace({
      'nx.json': JSON.stringify({
        analytics: false,
        neverConnectToCloud: true,
        defaultBase: 'main',
        pluginsConfig: { '@nx/js': { analyzeSourceFiles: true } },
      }),
      'package.json': JSON.stringify({ name: 'docs', private: true }),
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { strict: true } }),
      'apps/site/project.json': deployableProject('site', 'apps/site'),
      'apps/site/app/page.tsx': "export default function Page() { return 'docs'; }\n",
      'apps/site/content/docs/index.mdx': '# Getting started\n',
      'apps/site/content/blog/hello.mdx': '# Hello\n',
      'apps/mcp/project.json': deployableProject('mcp', 'apps/mcp', {
        deploy: { command: 'docker build -f apps/mcp/Dockerfile -t mcp .' },
      }),
      'apps/mcp/Dockerfile': DOCKERFILE,
      'apps/mcp/src/index.ts':
        "import { readFileSync } from 'node:fs';\nexport const page = (name: string) => readFileSync(`content/${name}.mdx`, 'utf8');\n",
    });
    symlinkSync(join(__dirname, '../../../node_modules'), join(ws.root, 'node_modules'));
    step('docs', { 'apps/site/content/docs/index.mdx': '# Getting started, again\n' });
    step('blog', { 'apps/site/content/blog/hello.mdx': '# Hello again\n' });
    step('page', { 'apps/site/app/page.tsx': "export default function Page() { return 'docs!'; }\n" });
  }, 300_000);
  afterAll(() => ws?.remove());

  it('a page the image copies deploys the server too, naming the Dockerfile (file and symbol precision)', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze('docs', precision);
      expect(affectedNames(result), precision).toEqual(['mcp', 'site']);
      expect(result.deployables.find((d) => d.project === 'mcp')?.reasons).toEqual([
        {
          kind: 'global-input-changed',
          file: 'apps/site/content/docs/index.mdx',
          detail: 'copied into the image by apps/mcp/Dockerfile (apps/site/content/docs)',
        },
      ]);
    }
  }, 300_000);

  it('what the image does not copy, and the site’s sources, stay the site’s', async () => {
    for (const name of ['blog', 'page'])
      for (const precision of ['file', 'symbol'] as const)
        expect(affectedNames(await analyze(name, precision)), `${name} ${precision}`).toEqual(['site']);
  }, 300_000);

  it('project precision equals `nx show projects --affected` (Nx sees no edge: only the site)', async () => {
    for (const name of ['docs', 'blog', 'page']) {
      expect(affectedNames(await analyze(name, 'project')), name).toEqual(nxAffected(name, DEPLOYABLES));
      expect(nxAffected(name, DEPLOYABLES)).toEqual(['site']);
    }
  }, 300_000);
});
