import { describe, expect, it } from 'vitest';
import { assignOutsideMarkers, describeUnassigned, outsideMarkerKey } from './outside-marker-files';

const projects = [
  { name: 'api', root: 'apps/api' },
  { name: '@acme/web', root: 'apps/web' },
  { name: 'shared', root: 'libs/shared' },
  { name: 'shared-app', root: 'apps/shared' },
  { name: 'ws', root: '.' },
];
const none = { excludeMarkers: [] as string[] };

describe('outsideMarkerKey: the name a container file carries', () => {
  it.each([
    ['.deploy/api/Dockerfile', 'api'],
    ['docker/api/Containerfile', 'api'],
    ['deploy/api.Dockerfile', 'api'],
    ['apps/api.Dockerfile', 'api'],
    ['Dockerfile.api', 'api'],
    ['Dockerfile', undefined],
  ])('%s → %s', (path, key) => expect(outsideMarkerKey(path)).toBe(key));
});

describe('assignOutsideMarkers', () => {
  it('gives each file to the one project it names, by name or by its root last segment', () => {
    const { byProject, unassigned } = assignOutsideMarkers(
      ['.deploy/api/Dockerfile', 'deploy/web.Dockerfile', 'README.md'],
      projects,
      none,
    );
    expect(Object.fromEntries(byProject)).toEqual({
      api: [{ file: '.deploy/api/Dockerfile', kind: 'container', outsideRoot: true }],
      '@acme/web': [{ file: 'deploy/web.Dockerfile', kind: 'container', outsideRoot: true }],
    });
    expect(unassigned).toEqual([]);
  });

  it('leaves files inside a project root to that project, even under the workspace-root project', () => {
    const { byProject, unassigned } = assignOutsideMarkers(
      ['apps/api/Dockerfile', 'apps/api/docker/api/Dockerfile'],
      projects,
      none,
    );
    expect(byProject.size).toBe(0);
    expect(unassigned).toEqual([]);
  });

  it('reports a file that names several projects or none, and assigns it to none', () => {
    const { byProject, unassigned } = assignOutsideMarkers(
      ['docker/shared/Dockerfile', 'Dockerfile.dev', 'node_modules/x/Dockerfile'],
      projects,
      none,
    );
    expect(byProject.size).toBe(0);
    expect(unassigned).toEqual([
      { file: 'Dockerfile.dev', key: 'dev', candidates: [] },
      { file: 'docker/shared/Dockerfile', key: 'shared', candidates: ['shared', 'shared-app'] },
    ]);
    const line = describeUnassigned(unassigned[1], 'deploy');
    expect(line).toContain('"shared" could be shared or shared-app');
    expect(line).toContain('tag the project "deployable"');
    expect(line).toContain('"deploy": { "command": "docker build -f docker/shared/Dockerfile ." }');
  });

  it('honours excludeMarkers by file name or by path', () => {
    const files = ['.deploy/api/Dockerfile', 'deploy/web.Dockerfile'];
    expect(assignOutsideMarkers(files, projects, { excludeMarkers: ['Dockerfile'] }).byProject.has('api')).toBe(false);
    expect(assignOutsideMarkers(files, projects, { excludeMarkers: ['deploy/**'] }).byProject.has('@acme/web')).toBe(
      false,
    );
  });
});
