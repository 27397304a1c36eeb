import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Everything e2e creates lives under one folder: tarballs/<hash>/, install-<hash>/ (a cached
 * npm install of the example with the packed plugin) and ws-<name>-<random>/ workspaces. They
 * sit side by side so the relative `file:` path npm records for the tarball is valid in all.
 */
export const E2E_HOME = join(process.env.LOCKSTEP_E2E_HOME ?? tmpdir(), 'nx-lockstep-e2e');
