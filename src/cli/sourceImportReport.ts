import type { SourceImportReport, SourceProblem } from '../content/import/source/importSourcePosts';
import type { SkippedItem } from '../content/import/source/sourcePost';

/** `file:line: ` where the line is known, as compilers print it, so terminals can jump there. */
function where(file: string, line: number | null): string {
  return line ? `${file}:${line}` : file;
}

function problemLine(file: string, item: SourceProblem, severity: 'refused' | 'warning'): string {
  const id = item.sourceId ? `post ${item.sourceId}: ` : '';
  return `${where(file, item.line)}: ${severity}: ${id}${item.message}`;
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Skipped items by kind ("page" -> 21), each counted as many items as it stands for. */
export function skippedByKind(skipped: readonly SkippedItem[]): Map<string, number> {
  const kinds = new Map<string, number>();
  for (const item of skipped) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + (item.count ?? 1));
  // Comments last: they belong to the posts and pages listed before them.
  return new Map([...kinds].sort(([a], [b]) => Number(a === 'comment') - Number(b === 'comment')));
}

/** The lines of what went wrong or needs a look: refused posts, then warnings (for stderr). */
export function problemLines(file: string, report: SourceImportReport): string[] {
  return [
    ...report.refused.map(item => problemLine(file, item, 'refused')),
    ...report.warnings.map(item => problemLine(file, item, 'warning')),
  ];
}

/**
 * The report for stdout: each skipped item (by kind, with its id, line and reason), then the
 * summary: articles created, updated, unchanged and refused, authors, tags, old paths, skipped
 * items by kind, warnings. A dry run says that nothing was written.
 */
export function reportLines(file: string, report: SourceImportReport): string[] {
  const lines: string[] = [];
  const kinds = skippedByKind(report.skipped);
  for (const kind of kinds.keys()) {
    for (const item of report.skipped.filter(entry => entry.kind === kind)) {
      const id = item.sourceId ? `${item.kind} ${item.sourceId}: ` : `${item.kind}: `;
      lines.push(`${where(file, item.line)}: skipped: ${id}${item.reason}`);
    }
  }
  const part = (name: string, counts: SourceImportReport['articles']) =>
    `${name}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`;
  const skipped = [...kinds].map(([kind, count]) => counted(count, kind)).join(', ');
  lines.push(
    [
      `${report.dryRun ? 'Dry run (nothing written): would have written ' : ''}${part('articles', report.articles)}, ${report.refused.length} refused`,
      part('authors', report.authors),
      part('tags', report.tags),
      `old paths: ${report.oldPaths}`,
      `skipped: ${skipped || 'none'}`,
      counted(report.warnings.length, 'warning'),
    ].join('; ') + '.',
  );
  return lines;
}
