/**
 * The Angular `templateUrl` / `styleUrl(s)` miss found on ghostfolio (FINDINGS F4, commit
 * c707befdae27): only a library component's `.html` changed, the Angular compiler inlines it into the
 * app's bundle, and lockstep deployed nothing. Here in that shape, with real git history and the real
 * nx project graph: a library `ui` with a component whose template and styles live in their own files,
 * an app `client` importing it through a tsconfig path (build inputs `production`, `^production`, as
 * ghostfolio's nx.json has them), and an app `admin` with no build target (Nx's default inputs then
 * take `^default`). A template-only or style-only commit must deploy both; a spec-only commit neither.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFixtureWorkspace,
  fixtureNxJson,
  deployableProject,
  libraryProject,
  TEST_FILES_INPUT,
  type FixtureWorkspace,
} from './support/fixture-workspace';
import { affectedNames, byProject, rangeSteps } from './support/range-steps';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

const NX_JSON = fixtureNxJson({
  excludes: [TEST_FILES_INPUT, '!{projectRoot}/tsconfig.spec.json', '!{projectRoot}/jest.config.[jt]s'],
  targetDefaults: { build: { inputs: ['production', '^production'], dependsOn: ['^build'] } },
});

const component = (selector: string, extra = '') =>
  [
    "import { Component, Input } from '@angular/core';",
    '',
    '@Component({',
    `  selector: '${selector}',`,
    "  templateUrl: './portfolio-filter.component.html',",
    "  styleUrl: './portfolio-filter.component.scss',",
    "  styleUrls: ['./portfolio-filter.theme.scss'],",
    '})',
    'export class PortfolioFilterComponent {',
    `  @Input() label = 'Filter';${extra}`,
    '}',
    '',
  ].join('\n');

function createAngularWorkspace(): FixtureWorkspace {
  return createFixtureWorkspace({
    'nx.json': NX_JSON,
    'package.json': JSON.stringify({ name: 'angular-shapes', private: true }),
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: {
        strict: true,
        experimentalDecorators: true,
        paths: { '@ws/ui': ['libs/ui/src/index.ts'] },
      },
    }),
    'apps/client/project.json': deployableProject('client', 'apps/client', {
      build: { executor: '@angular-devkit/build-angular:application', options: {} },
    }),
    'apps/client/src/main.ts':
      "import { PortfolioFilterComponent } from '@ws/ui';\nexport const root = [PortfolioFilterComponent];\n",
    'apps/admin/project.json': deployableProject('admin', 'apps/admin'),
    'apps/admin/src/main.ts':
      "import { PortfolioFilterComponent } from '@ws/ui';\nconsole.log(PortfolioFilterComponent);\n",
    'libs/ui/project.json': libraryProject('ui', 'libs/ui'),
    'libs/ui/src/index.ts': "export { PortfolioFilterComponent } from './lib/portfolio-filter.component';\n",
    'libs/ui/src/lib/portfolio-filter.component.ts': component('ui-portfolio-filter'),
    'libs/ui/src/lib/portfolio-filter.component.html': '<form><label>{{ label }}</label></form>\n',
    'libs/ui/src/lib/portfolio-filter.component.scss': ':host { display: block; }\n',
    'libs/ui/src/lib/portfolio-filter.theme.scss': ':host { color: black; }\n',
    'libs/ui/src/lib/portfolio-filter.component.spec.ts': "test('filter', () => undefined);\n",
  });
}

describe('an Angular library component whose template and styles live in their own files', () => {
  let ws: FixtureWorkspace;
  const { step, analyze } = rangeSteps(() => ws);

  beforeAll(() => {
    ws = createAngularWorkspace();
    // The ghostfolio commit: four lines of the template, nothing else.
    step('template', {
      'libs/ui/src/lib/portfolio-filter.component.html':
        '<form>\n  <label>{{ label }}</label>\n  <button type="reset">Reset</button>\n</form>\n',
    });
    step('styleUrl', { 'libs/ui/src/lib/portfolio-filter.component.scss': ':host { display: flex; }\n' });
    step('styleUrls', { 'libs/ui/src/lib/portfolio-filter.theme.scss': ':host { color: navy; }\n' });
    step('spec', {
      'libs/ui/src/lib/portfolio-filter.component.spec.ts': "test('filter', () => expect(1).toBe(1));\n",
    });
  }, 300_000);
  afterAll(() => ws?.remove());

  it('a template-only change deploys every app that uses the component, naming the file and the input', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze('template', precision);
      expect(affectedNames(result)).toEqual(['admin', 'client']);
      expect(byProject(result).client.reasons).toEqual([
        {
          kind: 'dependency-project-changed',
          project: 'ui',
          file: 'libs/ui/src/lib/portfolio-filter.component.html',
          via: ['client', 'ui'],
          input: '^production',
        },
      ]);
      // No build target: Nx's default inputs of the deploy target (`^default`) include the template.
      expect(byProject(result).admin.reasons).toMatchObject([
        { kind: 'dependency-project-changed', project: 'ui', file: 'libs/ui/src/lib/portfolio-filter.component.html' },
      ]);
    }
  });

  it('a styleUrl-only or styleUrls-only change deploys them too', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      for (const [name, file] of [
        ['styleUrl', 'libs/ui/src/lib/portfolio-filter.component.scss'],
        ['styleUrls', 'libs/ui/src/lib/portfolio-filter.theme.scss'],
      ]) {
        const result = await analyze(name, precision);
        expect(affectedNames(result)).toEqual(['admin', 'client']);
        expect(byProject(result).client.reasons).toMatchObject([{ kind: 'dependency-project-changed', file }]);
      }
    }
  });

  it('a spec-only change of the library deploys nothing: a source file nothing shipped imports', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      expect(affectedNames(await analyze('spec', precision))).toEqual([]);
    }
  });
});
