import { describe, expect, it } from 'vitest';
import { containerCopyChanges, containerFilesOf, copySources } from './container-inputs';

describe('copySources', () => {
  it('reads COPY and ADD sources (flags, JSON form, continuation lines), not stage copies or the whole context', () => {
    const text = [
      'FROM node:22 AS build',
      'COPY --chown=node:node apps/site/content/docs ./docs',
      'copy ["assets/fonts", "assets/icons/", "/app/public/"]',
      'ADD config/a.yaml \\',
      '    config/b.yaml /etc/',
      'COPY . .',
      'COPY ./ /app',
      'COPY --from=build /app/dist ./dist',
      'ADD https://example.com/x.tgz /tmp/',
      'COPY ${DIR} /x',
    ].join('\n');
    expect(copySources(text)).toEqual([
      'apps/site/content/docs',
      'assets/fonts',
      'assets/icons',
      'config/a.yaml',
      'config/b.yaml',
    ]);
  });
});

describe('containerCopyChanges', () => {
  const dockerfile = {
    path: 'apps/mcp/Dockerfile',
    text: 'COPY apps/mcp ./\nCOPY apps/site/content ./c\nCOPY libs ./libs\n',
  };
  it('counts changed non-source files outside the root that a COPY names; sources and manifests are left to their rules', () => {
    const reasons = containerCopyChanges(
      'apps/mcp',
      [dockerfile],
      [
        'apps/site/content/a.mdx',
        'apps/site/app/page.tsx',
        'libs/ui/src/index.ts',
        'libs/ui/styles.css',
        'apps/mcp/README.md',
      ],
    );
    expect(reasons.map((reason) => ('file' in reason ? reason.file : ''))).toEqual([
      'apps/site/content/a.mdx',
      'libs/ui/styles.css',
    ]);
  });

  it('finds the Dockerfile in the root and through the deploy command', () => {
    const files = new Set(['apps/mcp/Dockerfile', 'docker/worker.Dockerfile']);
    const read = (path: string) => `# ${path}`;
    expect(containerFilesOf('apps/mcp', undefined, files, read).map((f) => f.path)).toEqual(['apps/mcp/Dockerfile']);
    expect(
      containerFilesOf('apps/worker', 'docker build -f ./docker/worker.Dockerfile -t w .', files, read).map(
        (f) => f.path,
      ),
    ).toEqual(['docker/worker.Dockerfile']);
  });
});
