/**
 * A workspace package.json reached only because resolution went through it (`@shop/money` →
 * its `main`/`exports`) ships just the fields that choose files. A version bump changes none of
 * them. Reached by an `import` of the JSON, it ships whole like any asset.
 */

/** The pseudo declaration of a package.json that a resolution went through. */
export const PACKAGE_RESOLUTION = '#resolution';

/** Fields that decide which file an import of the package loads, and how. */
const RESOLUTION_FIELDS = new Set([
  'name',
  'main',
  'module',
  'types',
  'typings',
  'exports',
  'imports',
  'browser',
  'type',
  'sideEffects',
]);

export function isPackageManifest(file: string): boolean {
  return file === 'package.json' || file.endsWith('/package.json');
}

/** Changed top-level fields (plus PACKAGE_RESOLUTION when one decides resolution); undefined when a side is not a JSON object. */
export function changedManifestFields(baseText: string, headText: string): string[] | undefined {
  const before = parseObject(baseText);
  const after = parseObject(headText);
  if (!before || !after) return undefined;
  const changed = new Set<string>();
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    changed.add(key);
    if (RESOLUTION_FIELDS.has(key)) changed.add(PACKAGE_RESOLUTION);
  }
  return [...changed].sort();
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
