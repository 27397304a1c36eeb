import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          root: './packages/nx-lockstep',
          include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Fixture set-up commits real git history; on a loaded 2-CPU machine it passes 10 s.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          root: './e2e',
          include: ['src/**/*.spec.ts'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // e2e suites share a packed tarball and a 2-CPU machine: run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
