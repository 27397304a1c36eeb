/**
 * The validators for the names options carry: target names and project names. Each returns what
 * a valid name looks like when the given one is not (the options reader puts it in its message
 * with the option and an example), or null when the name is fine. Environment names have their
 * own validator (core/markers.ts `validateEnvName`): they become part of git tags.
 */

// Target names end up in `nx run <project>:<target>` lines of generated CI files (safety rule 4).
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_:.-]*$/;

/** A target name (`deployTargetName`, `affectedDeployTargetName`). */
export function targetNameProblem(name: string): string | null {
  return TARGET_NAME.test(name) ? null : `a string matching ${TARGET_NAME}`;
}

/**
 * A project name as options name it (the keys of `entryPoints`). Nx allows almost any project
 * name, so this only rejects what cannot be one: empty, blanks around it, control characters.
 * Whether the project exists is checked against the project graph where it is read.
 */
export function projectNameProblem(name: string): string | null {
  if (name === '' || name.trim() !== name) return 'a project name (not empty, no spaces around it)';
  // A control character in a name would break the reason lines and CI files it reaches.
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a project name without control characters';
  return null;
}
