import { describe, expect, it } from 'vitest';
import { readTsconfig } from './tsconfig';
import { VirtualWorkspace } from './virtual-workspace';

const workspace = (files: Record<string, string>) =>
  new VirtualWorkspace({ files: new Set(Object.keys(files)), readFile: (path) => files[path] }, new Map());

describe('readTsconfig', () => {
  // nx-examples 76974421bd (move to solution-style configs): lockstep died with TypeScript's
  // "Cannot read properties of undefined (reading '0')" comparing a global input absent at one side.
  it('says a config absent at this commit cannot be read, instead of throwing', () => {
    const read = readTsconfig('tsconfig.base.json', workspace({ 'tsconfig.json': '{}' }));
    expect(read.problem).toBe('tsconfig.base.json does not exist at this commit');
    expect(read.options).toEqual({});
  });

  it('reads one that exists', () => {
    const read = readTsconfig(
      'tsconfig.json',
      workspace({ 'tsconfig.json': '{ "compilerOptions": { "strict": true } }' }),
    );
    expect(read.problem).toBeUndefined();
    expect(read.options.strict).toBe(true);
  });
});
