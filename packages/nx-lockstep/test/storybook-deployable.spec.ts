/**
 * A miss found by the corpus replay on spartan (range 99febae9e8..201828de2e): the deployable
 * `ui-storybook` is a Storybook site; its stories (`apps/ui-storybook/stories/*.stories.ts`) import
 * the helm UI library, and a change to `libs/helm/combobox/…` changed the site. Stories were test
 * files everywhere, so they were neither entry points nor own files: lockstep (file, symbol)
 * deployed nothing, Nx deployed it. Here in that shape (spartan's nx.json: `production` excludes
 * stories), with real git history and the real nx project graph. An app that is not a Storybook
 * keeps not shipping its stories.
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
  excludes: [TEST_FILES_INPUT, '!{projectRoot}/**/*.stories.@(js|jsx|ts|tsx|mdx)', '!{projectRoot}/.storybook/**/*'],
  targetDefaults: {
    build: { inputs: ['production', '^production'] },
    'build-storybook': { inputs: ['default', '^production', '{projectRoot}/.storybook/**/*'] },
  },
});

describe('a Storybook deployable ships its stories', () => {
  let ws: FixtureWorkspace;
  const { step, analyze } = rangeSteps(() => ws);

  beforeAll(() => {
    ws = createFixtureWorkspace({
      'nx.json': NX_JSON,
      'package.json': JSON.stringify({ name: 'storybook-shape', private: true }),
      'tsconfig.base.json': JSON.stringify({
        compilerOptions: {
          strict: true,
          paths: { '@ws/helm/combobox': ['libs/helm/combobox/src/index.ts'], '@ws/other': ['libs/other/src/index.ts'] },
        },
      }),
      'apps/ui-storybook/project.json': deployableProject('ui-storybook', 'apps/ui-storybook', {
        'build-storybook': { executor: '@storybook/angular:build-storybook', options: {} },
      }),
      'apps/ui-storybook/.storybook/main.ts': "export default { stories: ['../**/*.stories.ts'] };\n",
      'apps/ui-storybook/stories/combobox.stories.ts':
        "import { HlmComboboxInput } from '@ws/helm/combobox';\nexport default { title: 'Combobox', component: HlmComboboxInput };\n",
      'libs/helm/combobox/project.json': libraryProject('helm-combobox', 'libs/helm/combobox'),
      'libs/helm/combobox/src/index.ts': "export { HlmComboboxInput } from './lib/hlm-combobox-input';\n",
      'libs/helm/combobox/src/lib/hlm-combobox-input.ts':
        "export class HlmComboboxInput { readonly size = 'default'; }\n",
      // Not a Storybook: its stories are for developers only.
      'apps/web/project.json': deployableProject('web', 'apps/web'),
      'apps/web/src/main.ts': "console.log('web');\n",
      'apps/web/src/main.stories.ts': "import { other } from '@ws/other';\nexport default { title: other };\n",
      'libs/other/project.json': libraryProject('other', 'libs/other'),
      'libs/other/src/index.ts': "export const other = 'other';\n",
    });
    step('combobox', {
      'libs/helm/combobox/src/lib/hlm-combobox-input.ts':
        "export class HlmComboboxInput { readonly size = 'default'; readonly clearable = true; }\n",
    });
    step('story', {
      'apps/ui-storybook/stories/combobox.stories.ts':
        "import { HlmComboboxInput } from '@ws/helm/combobox';\nexport default { title: 'Forms/Combobox', component: HlmComboboxInput };\n",
    });
    step('other', { 'libs/other/src/index.ts': "export const other = 'changed';\n" });
    step('webStory', {
      'apps/web/src/main.stories.ts': "import { other } from '@ws/other';\nexport default { title: `${other}!` };\n",
    });
  }, 300_000);
  afterAll(() => ws?.remove());

  it('a library change its stories reach deploys the Storybook, with the chain from the story', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze('combobox', precision);
      expect(affectedNames(result)).toEqual(['ui-storybook']);
      expect(byProject(result)['ui-storybook'].reasons[0]).toMatchObject({
        kind: 'imported-file-changed',
        file: 'libs/helm/combobox/src/lib/hlm-combobox-input.ts',
        via: [
          'apps/ui-storybook/stories/combobox.stories.ts',
          'libs/helm/combobox/src/index.ts',
          'libs/helm/combobox/src/lib/hlm-combobox-input.ts',
        ],
      });
    }
  });

  it('a story-only change deploys the Storybook (own root, whole)', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      expect(affectedNames(await analyze('story', precision))).toEqual(['ui-storybook']);
    }
  });

  it('an app that is not a Storybook does not ship its stories, nor what only they import', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      expect(affectedNames(await analyze('other', precision))).toEqual([]);
      expect(affectedNames(await analyze('webStory', precision))).toEqual([]);
    }
  });
});
