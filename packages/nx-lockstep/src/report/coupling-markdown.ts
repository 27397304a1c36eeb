import { ADDITIVE_CHANGE_ADVICE } from '../core/coupling/contract-change';
import type { BlastRadiusEntry, CouplingReport } from '../core/coupling/coupling-report';
import type { GraphData } from '../core/graph-view/graph-data';
import { affectedMarkdown } from './affected-markdown';
import { fitMermaid } from './graph/graph-mermaid';
import type { ReportOptions } from './report-options';

/** GitHub refuses a comment body over 65,536 characters; leave room for the truncation note. */
export const MARKDOWN_LIMIT = 65_536;
const NOTE_ROOM = 400;

/**
 * `lockstep report --format markdown`, for a pull-request comment: the deployables' decisions
 * first (with the reason down to the symbol), then the gate's verdict, the graph (collapsed), then
 * the sections. Cut at a line under GitHub's limit, with a note saying how much was left out and
 * where to get all of it. The text comes first: the graph gets the room the text leaves.
 */
export function couplingMarkdown(report: CouplingReport, options: ReportOptions = {}): string {
  const limit = options.maxLength ?? MARKDOWN_LIMIT;
  const { lines, graphAt } = markdownLines(report);
  if (report.graph) {
    const used = lines.reduce((sum, line) => sum + line.length + 1, 0);
    lines.splice(graphAt, 0, ...graphLines(report.graph, limit - NOTE_ROOM - used));
  }
  let length = 0;
  for (let index = 0; index < lines.length; index++) {
    length += lines[index].length + 1;
    if (length > limit - NOTE_ROOM) {
      const kept = lines.slice(0, index);
      return `${kept.join('\n')}\n\n> **Truncated:** ${lines.length - index} more lines left out to stay under ${limit} characters. Run \`lockstep report --format json\` (or \`text\`) for the whole report.\n`;
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The deployables-only Mermaid graph (`lockstep graph --format mermaid`'s renderer) in a
 * collapsed `<details>`, within `room` characters: collapsed further when it would not fit, left
 * out with a note saying why and what to run when even that does not.
 */
function graphLines(graph: GraphData, room: number): string[] {
  const summary = `<details><summary>Graph: what deploys together (deployables; libraries collapsed per folder or domain)</summary>`;
  const frame = [summary, '', '```mermaid', '```', '', '</details>'];
  // What the diagram may take: the room, less its frame and the blank line before it.
  const space = room - frame.reduce((sum, line) => sum + line.length + 1, 0) - 2;
  const fit =
    space > 0
      ? fitMermaid(graph, { maxText: { length: space, why: 'the room this comment leaves after its text' } })
      : undefined;
  if (fit?.text === undefined)
    return [
      '',
      `> The graph is left out: ${fit ? fit.tooBig.join('; ') : 'the comment has no room left after its text'}. Run \`lockstep graph --format mermaid\` (or \`--format html\`) to see it.`,
    ];
  return ['', summary, '', '```mermaid', ...fit.text.trimEnd().split('\n'), '```', '', '</details>'];
}

/** The report's text, and where the graph goes in it (after the decisions and the gate). */
function markdownLines(report: CouplingReport): { lines: string[]; graphAt: number } {
  const lines = [
    `## lockstep coupling report`,
    '',
    `Head \`${report.head.slice(0, 12)}\`${report.base ? `, base \`${report.base.slice(0, 12)}\`` : ''}.`,
  ];
  // The decisions as `lockstep affected --format markdown` prints them (the same escaping, the
  // reason down to the symbol), given at most half of the comment.
  if (report.decisions)
    lines.push(
      '',
      ...affectedMarkdown(report.decisions, { maxLength: MARKDOWN_LIMIT / 2 })
        .trimEnd()
        .split('\n'),
    );
  if (report.gate) {
    const { gate } = report;
    lines.push(
      '',
      `**Gate** \`--fail-on ${gate.rules.join(',')}\`: ${gate.failed ? `❌ failed, ${gate.failures.length} new` : '✅ passed'}` +
        (gate.accepted > 0 ? ` (${gate.accepted} accepted by the baseline)` : ''),
      ...gate.failures.map((failure) => `- \`${failure.rule}\`: ${cell(failure.message)}`),
    );
  }
  const graphAt = lines.length;
  lines.push('', `### 1. Deployable → deployable imports (${report.deployableImports.length})`, '');
  if (report.deployableImports.length === 0) lines.push('None: no deployable imports another one’s code.');
  else
    lines.push(
      '| importer | imports | symbols | chain | suggested move |',
      '|---|---|---|---|---|',
      ...report.deployableImports.map(
        (found) =>
          `| ${found.from} \`${found.importer}:${found.line}\` | ${found.to} \`${found.file}\` | ${cell(found.symbols.join(', ') || '*')} | ${cell(found.via.join(' → '))} | ${found.suggestion.move}: ${cell(found.suggestion.text)} |`,
      ),
    );
  lines.push(
    '',
    '### 2. Blast radius',
    '',
    'Who redeploys on a change: Nx (project precision) vs lockstep (symbol precision).',
    '',
  );
  const { libraries, hotFiles, barrels } = report.blastRadius;
  lines.push(
    ...radiusTable('library', libraries.slice(0, MAX_LIBRARIES)),
    ...more(libraries, MAX_LIBRARIES, 'libraries'),
  );
  lines.push('', '**Hot files**', '', ...radiusTable('file', hotFiles));
  for (const barrel of barrels.slice(0, MAX_BARRELS)) {
    lines.push(
      '',
      `**Barrel \`${barrel.file}\`** (${barrel.project}), used by ${barrel.usedBy.join(', ')}: per export, who uses it (what splitting it would save)`,
      '',
      '| export | used by |',
      '|---|---|',
      ...barrel.exports
        .slice(0, MAX_EXPORTS)
        .map((entry) => `| \`${entry.name}\` | ${entry.usedBy.join(', ') || '-'} |`),
      ...more(barrel.exports, MAX_EXPORTS, 'exports'),
    );
  }
  lines.push(...more(barrels, MAX_BARRELS, 'barrels'));
  lines.push('', ...contractLines(report));
  lines.push('', `### 4. Project cycles (${report.cycles.length})`, '');
  if (report.cycles.length === 0) lines.push('None.');
  for (const cycle of report.cycles) lines.push(`- ${cycle.path.join(' → ')} (\`${cycle.file}:${cycle.line}\`)`);
  for (const warning of [...(report.decisions?.warnings ?? []), ...(report.warnings ?? [])])
    lines.push('', `> warning: ${warning}`);
  return { lines, graphAt };
}

function contractLines(report: CouplingReport): string[] {
  const { contracts } = report;
  const lines = ['### 3. Contracts', ''];
  lines.push(
    contracts.libraries.length === 0
      ? 'No contract library (none used by two or more deployables, none tagged `type:contract`).'
      : `Contract libraries (${contracts.libraries.length}): ${contracts.libraries
          .slice(0, MAX_LIBRARIES)
          .map(
            (library) =>
              `${library.project} (${library.tagged ? '`type:contract`, ' : ''}${library.deployables.length} deployables)`,
          )
          .join(', ')}${contracts.libraries.length > MAX_LIBRARIES ? ', …' : ''}.`,
  );
  if (!report.base) return [...lines, '', 'Pass `--base <ref>` to compare contracts between two commits.'];
  if (!contracts.classified) lines.push('', 'TypeScript exports were not classified (no classifier ran).');
  if (contracts.contractChanges.length === 0) return [...lines, '', 'No contract changed between base and head.'];
  lines.push('', '| change | export | detail | consumers |', '|---|---|---|---|');
  for (const change of contracts.contractChanges) {
    const label = change.breaking ? '**breaking**' : change.kind === 'contract-file-changed' ? 'changed' : 'safe';
    lines.push(
      `| ${label} ${change.kind} | ${change.exportName ? `\`${change.exportName}\` ` : ''}${change.project} \`${change.file}:${change.line}\` | ${cell(change.detail)} | ${
        change.consumers
          .map((consumer) => `${consumer.deployable} \`${consumer.file}:${consumer.line}\``)
          .join('<br>') || '-'
      } |`,
    );
  }
  if (contracts.contractChanges.some((change) => change.breaking)) lines.push('', `> ${ADDITIVE_CHANGE_ADVICE}`);
  return lines;
}

// Long lists are cut per section, so that every section (contracts, cycles) fits in one comment.
const MAX_LIBRARIES = 20;
const MAX_BARRELS = 5;
const MAX_EXPORTS = 15;

function more(list: readonly unknown[], shown: number, what: string): string[] {
  return list.length > shown ? ['', `… and ${list.length - shown} more ${what} (\`--format json\` has them all).`] : [];
}

function radiusTable(title: string, entries: readonly BlastRadiusEntry[]): string[] {
  if (entries.length === 0) return ['None.'];
  return [
    `| ${title} | nx | lockstep | deployables (lockstep) |`,
    '|---|---|---|---|',
    ...entries.map(
      (entry) =>
        `| ${title === 'file' ? `\`${entry.id}\`` : entry.id} | ${entry.projectPrecision.length} | ${entry.symbolPrecision.length} | ${entry.symbolPrecision.join(', ') || '-'} |`,
    ),
  ];
}

/** Table cells: a pipe or a line break would end the cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
