import { describe, expect, it } from 'vitest';
import type { AffectedResult, DeployableDecision } from '../core/result';
import { affectedMarkdown, COMMENT_LIMIT } from './affected-markdown';
import { renderReport } from './reporters';

const head = 'a'.repeat(40);
const result: AffectedResult = {
  version: 1,
  head,
  precision: 'symbol',
  deployables: [
    {
      project: 'catalog-api',
      base: 'b'.repeat(40),
      affected: true,
      reasons: [
        {
          kind: 'imported-file-changed',
          file: 'libs/catalog-search/src/lib/search.ts',
          via: [
            'apps/catalog-api/src/main.ts',
            'libs/catalog-search/src/index.ts',
            'libs/catalog-search/src/lib/search.ts',
          ],
          declarations: ['searchProducts'],
        },
        { kind: 'own-file-changed', file: 'apps/catalog-api/src/main.ts' },
      ],
    },
    {
      project: 'storefront',
      base: 'b'.repeat(40),
      affected: false,
      reasons: [],
      changesNotShipped: [
        {
          file: 'libs/catalog-search/src/lib/search.ts',
          via: ['apps/storefront/src/main.ts', 'libs/catalog-search/src/lib/search.ts'],
          because: 'not-used',
          declarations: ['searchProducts'],
        },
      ],
    },
  ],
};

describe('affected markdown', () => {
  it('one row per deployable: yes/no and the reason down to the declaration; details folded', () => {
    const text = renderReport('affected', 'markdown', result);
    expect(text).toContain('**1 of 2** deployables would deploy');
    expect(text).toContain('| deployable | deploys | why |');
    expect(text).toMatch(
      /\| `catalog-api` \| \*\*yes\*\* \| imported file changed: libs\/catalog-search\/src\/lib\/search\.ts \(changed: \\`searchProducts\\`; via .* → .*\) \(\+1 more\) \|/,
    );
    expect(text).toContain('| `storefront` | no | imports 1 changed file it does not ship |');
    expect(text).toContain('<details><summary>catalog-api: 2 reasons</summary>');
    expect(text).toContain('<details><summary>storefront: 1 imported change(s) it does not ship</summary>');
    expect(text).toContain('which this deployable does not use');
  });

  it('escapes names: no HTML, no mentions, no broken table', () => {
    const hostile: DeployableDecision = {
      project: 'evil|<img src=x>@team`x`',
      base: null,
      affected: true,
      reasons: [{ kind: 'own-file-changed', file: 'apps/x/<script>|@admin.ts' }],
    };
    const text = affectedMarkdown({ ...result, deployables: [hostile] });
    const row = text.split('\n').find((line) => line.includes('evil'))!;
    // Markdown renders nothing inside a code span; outside it, `<` and `@` are escaped.
    const outsideCode = row.replace(/``.*?``/g, '');
    expect(outsideCode).not.toMatch(/(?<!\\)<(img|script)/);
    expect(outsideCode).not.toMatch(/@admin/);
    expect(row).toContain('`` evil\\|<img src=x>@team`x` ``');
    // Three cells: every pipe inside a cell is escaped.
    expect(row.replace(/\\\|/g, '').split('|').length).toBe(5);
  });

  it('stays under the comment limit with a note saying what was left out', () => {
    const many: DeployableDecision[] = Array.from({ length: 3000 }, (_, index) => ({
      project: `service-${index}`,
      base: null,
      affected: true,
      reasons: [
        { kind: 'own-file-changed', file: `apps/service-${index}/src/main.ts` },
        { kind: 'never-deployed', env: 'production' },
      ],
    }));
    const text = affectedMarkdown({ ...result, deployables: many });
    expect(text.length).toBeLessThan(COMMENT_LIMIT - 1000);
    expect(text).toMatch(
      /_Truncated to stay under 65,536 characters: \d+ deployable rows and \d+ folded sections not shown/,
    );
    const small = affectedMarkdown(result);
    expect(small).not.toContain('Truncated');
  });
});
