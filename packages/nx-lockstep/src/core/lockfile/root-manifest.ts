/** The fields of a package.json whose entries name the packages to install, with their ranges. */
export const DEPENDENCY_FIELDS: readonly string[] = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
];

/**
 * A package.json's text as an object; undefined when it is not JSON or not an object. A UTF-8
 * byte order mark is valid for npm and TypeScript, not for JSON.parse.
 */
export function parseManifest(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
