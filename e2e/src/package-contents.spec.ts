import { describe, expect, it } from 'vitest';
import { packPlugin, run } from './support';

/** What `npm pack` ships: a user installing the tarball gets the README and the licence. */
describe('the packed plugin', () => {
  it('carries README.md and LICENSE next to package.json', () => {
    const files = run(['tar', '-tzf', packPlugin().tarball]).stdout.split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/package.json']));
    const license = run(['tar', '-xzOf', packPlugin().tarball, 'package/LICENSE']).stdout;
    expect(license).toMatch(/^MIT License/);
  });
});
