/**
 * The validators for the names options carry: target names and project names. Each returns what
 * a valid name looks like when the given one is not (the options reader puts it in its message
 * with the option and an example), or null when the name is fine. The rules themselves (target,
 * environment, project names in git refs) live in config/names.ts, one per kind of name.
 */
import { isValidTargetName, TARGET_NAME_RULE } from './names';

/** A target name (`deployTargetName`, `affectedDeployTargetName`): the one target rule. */
export function targetNameProblem(name: string): string | null {
  return isValidTargetName(name) ? null : `a target name of ${TARGET_NAME_RULE}`;
}

/**
 * A project name as options name it (the keys of `entryPoints`). Nx allows almost any project
 * name, so this only rejects what cannot be one: empty, blanks around it, control characters.
 * Whether the project exists is checked against the project graph where it is read.
 */
export function projectNameProblem(name: string): string | null {
  if (name === '' || name.trim() !== name) return 'a project name (not empty, no spaces around it)';
  // A control character in a name would break the reason lines and CI files it reaches.
  // eslint-disable-next-line no-control-regex -- control characters are what this rejects
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'a project name without control characters';
  return null;
}
