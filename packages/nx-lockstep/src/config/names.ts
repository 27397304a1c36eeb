/**
 * Names that travel into git refs and CI files, checked by one rule each so every surface (CLI,
 * plugin options, executor, pipelines generator) accepts and refuses the same names.
 *
 * - Environment names become part of a marker tag, a lease ref, a GitHub job id, a GitLab job name
 *   and an Azure stage name: the rule is the intersection of what all of those accept.
 * - Project names are free text in Nx, so inside refs they are encoded (reversibly, without
 *   collisions) instead of refused; see encodeProjectRefName.
 * - Target names are run as `nx run <project>:<target>`, where a ':' would name a configuration.
 */

/** Letters, digits, '-' and '_', starting with a letter; at most 64 characters. */
export const ENVIRONMENT_NAME_RULE = "letters, digits, '-' and '_', starting with a letter (at most 64 characters)";
const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

export function isValidEnvironmentName(env: unknown): env is string {
  return typeof env === 'string' && ENVIRONMENT_NAME.test(env);
}

/**
 * The one environment check. `source` names where it came from (`--env`, `pipelines.environments`)
 * so the message points at what to change.
 */
export function validateEnvironmentName(env: unknown, source = 'env'): string {
  if (isValidEnvironmentName(env)) return env;
  throw new Error(
    `Invalid ${source} ${JSON.stringify(env)}: an environment name is part of git refs and CI job names, so it ` +
      `may only contain ${ENVIRONMENT_NAME_RULE}. Example: "production", "staging", "eu-west-1".`,
  );
}

export const TARGET_NAME_RULE = "letters, digits, '.', '-' and '_', starting with a letter or digit (no ':')";
const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function isValidTargetName(target: unknown): target is string {
  return typeof target === 'string' && TARGET_NAME.test(target);
}

/** `option` is the option that holds the name, e.g. "deployTargetName". */
export function validateTargetName(target: unknown, option: string, example: string): string {
  if (isValidTargetName(target)) return target;
  throw new Error(
    `Invalid ${option} ${JSON.stringify(target)}: a target name is run as "nx run <project>:<target>", so it may ` +
      `only contain ${TARGET_NAME_RULE}. Example: "${example}".`,
  );
}

/**
 * Characters kept as they are in a project's ref name; every other character (including '%',
 * '.', '/' and '@') becomes %XX per UTF-8 byte. So:
 * - any Nx project name gives a name `git check-ref-format` accepts (no '..', '@{', control
 *   characters, spaces, '.lock' endings or leading dots can survive);
 * - `@acme` and `@acme/api` become `%40acme` and `%40acme%2Fapi`: one ref component each, never
 *   a file and a folder of the same name;
 * - names made of the safe characters (`api`, `orders-api`) are unchanged, so their markers
 *   keep the names earlier versions gave them.
 */
const REF_SAFE = /[A-Za-z0-9_-]/;
/** Loose refs are files; 200 bytes leaves room under the usual 255-byte file-name limit. */
const MAX_REF_NAME = 200;

export function encodeProjectRefName(project: string): string {
  let out = '';
  for (const char of project) {
    if (REF_SAFE.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The project name back from its ref name, or null when `name` is not an encoding (a hand-made tag). */
export function decodeProjectRefName(name: string): string | null {
  if (!/^(?:[A-Za-z0-9_-]|%[0-9A-F]{2})+$/.test(name)) return null;
  try {
    const decoded = decodeURIComponent(name);
    // Only the canonical encoding counts, so each project has exactly one ref name.
    return encodeProjectRefName(decoded) === name ? decoded : null;
  } catch {
    return null;
  }
}

/** The ref name of `project`, or an error naming the project and the fix. */
export function validateProjectRefName(project: unknown): string {
  if (typeof project !== 'string' || project.length === 0) {
    throw new Error(`Invalid project name ${JSON.stringify(project)}: expected a non-empty Nx project name.`);
  }
  const encoded = encodeProjectRefName(project);
  if (encoded.length > MAX_REF_NAME) {
    throw new Error(
      `Project name ${JSON.stringify(project)} is too long for a deploy marker: its ref-safe form has ` +
        `${encoded.length} characters (at most ${MAX_REF_NAME}). Give the project a shorter name.`,
    );
  }
  return encoded;
}
