/** One thing wrong in a file: its name, the 1-based line where known, and what to change. */
export interface ImportProblem {
  file: string;
  line: number | null;
  message: string;
}

type Counts = { created: number; updated: number };

export interface ImportReport {
  articles: Counts;
  authors: Counts;
  tags: Counts;
  files: { read: number; imported: number; notImported: number };
  /** Errors: a file with one is not imported, nothing of it is written. */
  problems: ImportProblem[];
  /** Warnings: the file is imported as it is (a local image that is not there, for example). */
  warnings: ImportProblem[];
}

export function emptyReport(): ImportReport {
  return {
    articles: { created: 0, updated: 0 },
    authors: { created: 0, updated: 0 },
    tags: { created: 0, updated: 0 },
    files: { read: 0, imported: 0, notImported: 0 },
    problems: [],
    warnings: [],
  };
}

/** A one-paragraph summary of what was written, for the command line and the log. */
export function describeReport(report: ImportReport): string {
  const part = (name: string, counts: Counts) =>
    `${name}: ${counts.created} created, ${counts.updated} updated`;
  return [
    part('articles', report.articles),
    part('authors', report.authors),
    part('tags', report.tags),
  ].join('; ');
}

/** `file:line: message`, as compilers print it, so editors and terminals can jump to the line. */
export function formatProblem(problem: ImportProblem, severity: 'error' | 'warning'): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${severity === 'warning' ? 'warning: ' : ''}${problem.message}`;
}

function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * The one summary line after the problems: files read, imported and not, the count of errors and
 * warnings, and what was written.
 */
export function summaryLine(report: ImportReport): string {
  const { read, imported, notImported } = report.files;
  const outcome = [`${imported} imported`];
  if (notImported) outcome.push(`${notImported} not imported (nothing of them written)`);
  const problems = [];
  if (report.problems.length) problems.push(counted(report.problems.length, 'error'));
  if (report.warnings.length) problems.push(counted(report.warnings.length, 'warning'));
  const found = problems.length ? `; ${problems.join(', ')}` : '';
  return `Read ${counted(read, 'file')}: ${outcome.join(', ')}${found}. ${describeReport(report)}.`;
}
