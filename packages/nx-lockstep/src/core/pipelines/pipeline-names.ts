/**
 * Names that end up in CI files: project names are free text in Nx, so everything that reaches
 * YAML, a file name or a shell line goes through here (DESIGN safety rule 4).
 */

import { ENVIRONMENT_NAME_RULE, isValidEnvironmentName, isValidTargetName, TARGET_NAME_RULE } from '../../config/names';

/** Characters that cannot be carried safely anywhere: control characters break YAML and logs. */
// eslint-disable-next-line no-control-regex -- control characters are what this rejects
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Glob metacharacters of the providers' path filters; a root holding one would match other paths. */
const GLOB_META = /[*?[\]{}!\\]/;

export function assertProjectName(project: string): void {
  if (project.length === 0 || CONTROL.test(project) || project.includes(':')) {
    throw new Error(
      `nx-lockstep pipelines: project name ${JSON.stringify(project)} cannot be used in a pipeline ` +
        `(it is empty, contains ':' or a control character). Rename the project, e.g. "api" or "@acme/api".`,
    );
  }
}

export function assertEnvironmentName(env: string): void {
  if (!isValidEnvironmentName(env)) {
    throw new Error(
      `nx-lockstep pipelines: environment ${JSON.stringify(env)} is not valid: use ${ENVIRONMENT_NAME_RULE}, ` +
        `e.g. --environments=staging,production.`,
    );
  }
}

export function assertTargetName(target: string): void {
  if (!isValidTargetName(target)) {
    throw new Error(
      `nx-lockstep pipelines: affectedDeployTargetName ${JSON.stringify(target)} is not a plain target name; ` +
        `use ${TARGET_NAME_RULE}, e.g. "affected-deploy".`,
    );
  }
}

export function assertRoot(project: string, root: string): void {
  if (CONTROL.test(root) || GLOB_META.test(root) || root.startsWith('/') || root.split('/').includes('..')) {
    throw new Error(
      `nx-lockstep pipelines: project ${JSON.stringify(project)} has root ${JSON.stringify(root)}, which ` +
        `cannot be used as a CI path filter (glob characters, '..' or an absolute path). Move it, e.g. to "apps/api".`,
    );
  }
}

/** A file-name-safe slug: `@acme/api` → `acme-api`; names with nothing ASCII get a stable hash. */
export function projectSlug(project: string): string {
  const slug = project
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return slug.length > 0 ? slug : `project-${fnv1a(project)}`;
}

/** A display form for names and comments: a literal `${{` would be read as an expression. */
export function displayName(project: string): string {
  return project.replace(/\$\{\{/g, '$ {{');
}

/** GitHub evaluates `${{` in every string value; this is its documented way to write it literally. */
export function githubLiteral(value: string): string {
  return value.replace(/\$\{\{/g, "${{ '${{' }}");
}

/** GitLab expands `$VAR` in variable values; `$$` is a literal dollar. */
export function gitlabLiteral(value: string): string {
  return value.replace(/\$/g, '$$$$');
}

/** Azure expands `$(…)`, `$[…]` and `${{…}}` in values and has no escape: such names are refused. */
export function assertAzureSafe(project: string): void {
  if (/\$[([{]/.test(project)) {
    throw new Error(
      `nx-lockstep pipelines: project name ${JSON.stringify(project)} contains "$(", "$[" or "\${", which ` +
        `Azure Pipelines would expand as an expression. Rename the project, e.g. "api".`,
    );
  }
}

function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
