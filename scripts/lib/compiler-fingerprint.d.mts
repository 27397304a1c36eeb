// Types for scripts/lib/compiler-fingerprint.mjs, used by test/minified-compiler.spec.ts.
import type * as TS from 'typescript';

export function installedCompilerPath(): string;
export function loadCompilers(vendorFolder: string): { original: typeof TS; copy: typeof TS };
export function fingerprint(ts: typeof TS, fileName: string, text: string): string;
