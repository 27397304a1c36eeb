import { git } from './git';

/**
 * When `base` names an object this clone has but that is no commit — a marker tag moved onto a
 * tree or a blob by hand — the hint that says so and how to fix it. Undefined otherwise (the
 * object is missing: the caller's "not in this clone" hint applies).
 */
export function notACommitHint(workspaceRoot: string, base: string, tag?: string): string | undefined {
  const type = git(workspaceRoot, ['cat-file', '-t', base]);
  const kind = type.stdout.trim();
  if (type.code !== 0 || kind === 'commit') return undefined;
  const short = base.slice(0, 8);
  if (!tag) {
    return `${short} is a ${kind}, not a commit (fetching will not help): pass a commit as --base, or if it comes from a deploy marker tag, move that tag to the commit last deployed`;
  }
  return (
    `the deploy marker ${tag} points at a ${kind} (${short}), not a commit (fetching will not help): ` +
    `move it to the commit last deployed (git tag -f -a ${tag} -m deployed <commit> && git push -f origin ${tag}), ` +
    `or delete it (git push origin :refs/tags/${tag} && git tag -d ${tag}) so the next deploy records a new one`
  );
}
