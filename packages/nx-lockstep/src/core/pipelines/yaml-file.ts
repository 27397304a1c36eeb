import { Document } from 'yaml';
import { GENERATED_HEADER } from './generated-header';

/** Serialises a pipeline with the `yaml` library (never by concatenation) under the generated header. */
export function yamlFile(value: unknown): string {
  // No anchors: each job reads on its own, as a person would write it.
  const doc = new Document(value, { aliasDuplicateObjects: false });
  doc.commentBefore = GENERATED_HEADER;
  return doc.toString({ lineWidth: 0 });
}

/** The paths one deployable's pipeline watches: its roots, the root files and its own file. */
export function watchedPaths(roots: string[], rootFiles: string[], ownFile: string, glob: (root: string) => string): string[] {
  return [...new Set([...roots.map(glob), ...rootFiles, ownFile])];
}
