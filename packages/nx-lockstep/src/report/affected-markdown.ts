/**
 * `lockstep affected --format markdown`: what a merge would deploy, for a pull-request comment —
 * each deployable yes or no with its reason down to the changed declarations, then every reason
 * and the changes a deployable imports but does not ship, folded. Text from the workspace (project
 * names, paths) is escaped: a comment must not be able to mention people or break the table.
 * GitHub rejects a comment over 65,536 characters, so the report stops below that with a note.
 */
import { describeChangeNotShipped, formatReasonLine } from '../core/format-reason';
import type { AffectedResult, DeployableDecision } from '../core/result';
import type { ReportOptions } from './report-options';

/** GitHub's limit on a comment body; GitLab notes and Azure threads allow more. */
export const COMMENT_LIMIT = 65_536;
/** Room left for the comment marker and the note that says what was left out. */
const BUDGET = COMMENT_LIMIT - 1_536;

export function affectedMarkdown(result: AffectedResult, options: ReportOptions = {}): string {
  const budget = options.maxLength ?? BUDGET;
  const deploying = result.deployables.filter((decision) => decision.affected);
  const head = [
    '### nx-lockstep: what this change deploys',
    '',
    `**${deploying.length} of ${result.deployables.length}** deployable${result.deployables.length === 1 ? '' : 's'} ` +
      `would deploy · head \`${result.head.slice(0, 12)}\` · precision ${result.precision}` +
      (result.env ? ` · environment ${escapeText(result.env)}` : ''),
    '',
  ].join('\n');
  const rows = result.deployables.map(
    (decision) =>
      `| ${code(decision.project)} | ${decision.affected ? '**yes**' : 'no'} | ${cell(firstReason(decision))} |`,
  );
  const table = ['| deployable | deploys | why |', '| --- | --- | --- |'];
  const details = result.deployables.flatMap(detailsOf);
  const warnings = (result.warnings ?? []).map((warning) => `> warning: ${escapeText(warning)}`);

  // Fill the budget in order of importance: the table, the warnings, then the folded details.
  let out = `${head}\n${table.join('\n')}\n`;
  let shownRows = 0;
  for (const row of rows) {
    if (out.length + row.length + 1 > budget) break;
    out += `${row}\n`;
    shownRows++;
  }
  const left: string[] = [];
  if (shownRows < rows.length) left.push(`${rows.length - shownRows} deployable rows`);
  for (const block of [...(warnings.length ? [`\n${warnings.join('\n')}`] : []), ...details]) {
    if (left.length > 0 || out.length + block.length + 1 > budget) {
      left.push('block');
      continue;
    }
    out += `${block}\n`;
  }
  if (left.length > 0) {
    const blocks = left.filter((item) => item === 'block').length;
    const parts = [left.find((item) => item !== 'block'), blocks ? `${blocks} folded sections` : undefined].filter(
      Boolean,
    );
    out += `\n_Truncated to stay under ${COMMENT_LIMIT.toLocaleString('en-US')} characters: ${parts.join(' and ')} not shown. Run \`lockstep affected\` with the same --base and --head for everything._\n`;
  }
  return out;
}

function firstReason(decision: DeployableDecision): string {
  if (decision.reasons.length === 0) {
    const notShipped = decision.changesNotShipped?.length ?? 0;
    return notShipped > 0 ? `imports ${notShipped} changed file${notShipped === 1 ? '' : 's'} it does not ship` : '–';
  }
  const more = decision.reasons.length - 1;
  return `${formatReasonLine(decision.reasons[0])}${more > 0 ? ` (+${more} more)` : ''}`;
}

function detailsOf(decision: DeployableDecision): string[] {
  const blocks: string[] = [];
  if (decision.reasons.length > 1)
    blocks.push(
      folded(
        `${escapeText(decision.project)}: ${decision.reasons.length} reasons`,
        decision.reasons.map((reason) => `- ${escapeText(formatReasonLine(reason))}`),
      ),
    );
  if (decision.changesNotShipped?.length)
    blocks.push(
      folded(
        `${escapeText(decision.project)}: ${decision.changesNotShipped.length} imported change(s) it does not ship`,
        decision.changesNotShipped.map((change) => {
          const [first, ...rest] = describeChangeNotShipped(change);
          return [`- ${escapeText(first)}`, ...rest.map((line) => `  ${escapeText(line.trim())}`)].join('\n');
        }),
      ),
    );
  return blocks;
}

function folded(summary: string, lines: string[]): string {
  return `\n<details><summary>${summary}</summary>\n\n${lines.join('\n')}\n\n</details>`;
}

/** A table cell: one line, pipes escaped (GitHub splits cells on `|` even inside code). */
function cell(text: string): string {
  return escapeText(text).replace(/\|/g, '\\|');
}

/** An inline code span that holds any text: a fence longer than any backtick run in it. */
function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text in Markdown: no HTML, no mentions, no emphasis or links from names and paths. */
function escapeText(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>#!~]/g, (char) => `\\${char}`)
    .replace(/@/g, '@\u200b')
    .replace(/&/g, '&amp;');
}
