import { describe, expect, it } from 'vitest';
import { entryFilesOf } from './entry-files';

describe('entryFilesOf', () => {
  const files: Record<string, string> = {
    'libs/a/src/index.ts': '',
    'libs/a/src/testing.ts': '',
    'libs/b/package.json': JSON.stringify({ main: './src/main.js' }),
    'libs/b/src/main.ts': '',
    'libs/c/src/index.ts': '',
  };
  const read = (path: string) => files[path];

  it('takes the tsconfig paths targets inside the library, ignoring wildcard entries', () => {
    const paths = {
      '@org/a': ['./libs/a/src/index.ts'],
      '@org/a/testing': ['libs/a/src/testing.ts'],
      '@org/x/*': ['libs/a/src/*'],
    };
    expect(entryFilesOf('libs/a', read, paths)).toEqual(['libs/a/src/index.ts', 'libs/a/src/testing.ts']);
  });

  it('falls back to the source behind package.json main, then to src/index.ts, then to nothing', () => {
    expect(entryFilesOf('libs/b', read)).toEqual(['libs/b/src/main.ts']);
    expect(entryFilesOf('libs/c', read)).toEqual(['libs/c/src/index.ts']);
    expect(entryFilesOf('libs/none', read)).toEqual([]);
  });
});
