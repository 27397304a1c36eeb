import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasTool, missingToolMessage, RSYNC } from './support';

/** A PATH holding node and git but no rsync: what a fresh machine looks like to the e2e. */
describe('system tools the e2e need (a fresh machine has Node and git only)', () => {
  const bin = mkdtempSync(join(tmpdir(), 'lockstep-no-rsync-'));
  symlinkSync(process.execPath, join(bin, 'node'));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const fresh = { ...process.env, PATH: bin, LOCKSTEP_E2E_REQUIRE_TOOLS: '' };

  it('a missing rsync skips the GitLab run with a message saying how to install it', () => {
    expect(hasTool(RSYNC, fresh)).toBe(false);
    expect(missingToolMessage(RSYNC, fresh)).toMatch(/rsync is not installed .*skipped.*apt-get install rsync/);
  });

  it('under .ci/run (LOCKSTEP_E2E_REQUIRE_TOOLS=1) a missing rsync fails instead', () => {
    expect(() => missingToolMessage(RSYNC, { ...fresh, LOCKSTEP_E2E_REQUIRE_TOOLS: '1' })).toThrow(
      /rsync is not installed.*LOCKSTEP_E2E_REQUIRE_TOOLS=1 requires it/,
    );
  });
});
