/**
 * The rules of `git check-ref-format` (its manual's ten, as git's refs.c applies them to a full
 * ref name), so the affected-deploy executor can check the refs it will write without starting a
 * git process per ref. Git stays the authority: a name this rejects is asked of git before the
 * executor refuses it (test/ref-format.spec.ts holds this to git's answers).
 */

// Control characters, DEL, space and ~ ^ : ? * [ \ anywhere; ".." and "@{" anywhere.
// eslint-disable-next-line no-control-regex -- control characters are what git refuses
const FORBIDDEN = /[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{/;

/** Why git would refuse `ref` (a full name such as `refs/tags/a/b`), or undefined when it would not. */
export function refFormatProblem(ref: string): string | undefined {
  if (ref === '@') return 'it is the single character "@"';
  const forbidden = FORBIDDEN.exec(ref);
  if (forbidden) return `it contains ${JSON.stringify(forbidden[0])}`;
  if (ref.endsWith('.')) return 'it ends with "."';
  const components = ref.split('/');
  if (components.length < 2) return 'it has no "/"';
  for (const component of components) {
    if (component === '') return 'it begins or ends with "/", or has "//"';
    if (component.startsWith('.')) return `its part "${component}" begins with "."`;
    if (component.endsWith('.lock')) return `its part "${component}" ends with ".lock"`;
  }
  return undefined;
}
