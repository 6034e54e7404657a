import matter from 'gray-matter';

/** A file's front matter as data, with the lines its keys stand on, and its Markdown body. */
export interface FrontMatter {
  data: Record<string, unknown>;
  /** The body as stored: the text after the closing `---`, without its first newline. */
  content: string;
  /** The 1-based file line the body starts on. */
  bodyLine: number;
  /** The 1-based line of a top-level key, or of an item of a block list under it; null if absent. */
  lineOf(path: readonly PropertyKey[]): number | null;
  /** The text written after a top-level key (or on the line below it), without a comment. */
  rawValueOf(key: string): string | null;
}

/** Why a file's front matter cannot be read at all, and where. */
export interface FrontMatterError {
  line: number;
  message: string;
}

const DELIMITER = '---';
const TOP_LEVEL_KEY = /^([A-Za-z0-9_$][\w$.-]*)[ \t]*:(?=\s|$)/;

/**
 * Reads the front matter of a Markdown file with gray-matter (YAML through js-yaml), and finds
 * the line of each key in the text itself, so that every problem can name its line. Lines count
 * from 1 with the opening `---`, as an editor sees them.
 */
export function readFrontMatter(text: string): FrontMatter | FrontMatterError {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // gray-matter's rule: the file starts with --- (not ----) and the block ends at the next line
  // that starts with ---.
  const opens = lines[0].startsWith(DELIMITER) && lines[0][DELIMITER.length] !== '-';
  const close = opens ? lines.findIndex((line, index) => index > 0 && line.startsWith('---')) : -1;
  if (!opens) return { line: 1, message: 'no front matter: a file starts with --- and a title' };
  if (close === -1) {
    return { line: 1, message: 'front matter: the --- on line 1 is never closed by a --- line' };
  }
  let parsed: matter.GrayMatterFile<string>;
  try {
    // A fresh options object keeps gray-matter from caching by content across calls.
    parsed = matter(text, {});
  } catch (error) {
    // js-yaml's YAMLException: `reason` is the message without the position and the excerpt;
    // `mark.line` is 0-based in the text after the opening ---, which is the rest of line 1.
    const { reason, mark } = error as { reason?: string; mark?: { line?: number } };
    return {
      line: mark?.line != null ? mark.line + 1 : 1,
      message: `front matter: ${reason ?? (error as Error).message.split('\n')[0]}`,
    };
  }
  const data = (parsed.data ?? {}) as Record<string, unknown>;
  if (typeof data !== 'object' || Array.isArray(data) || Object.keys(data).length === 0) {
    return { line: 1, message: 'no front matter: a file starts with --- and a title' };
  }

  const keyLines = new Map<string, number>();
  for (let index = 1; index < close; index += 1) {
    const key = TOP_LEVEL_KEY.exec(lines[index])?.[1];
    if (key && !keyLines.has(key)) keyLines.set(key, index + 1);
  }
  const valueOnLine = (index: number) =>
    lines[index]
      .replace(TOP_LEVEL_KEY, '')
      .replace(/(^|\s)#.*$/, '')
      .trim();

  return {
    data,
    content: parsed.content,
    bodyLine: close + 2,
    lineOf(path) {
      const [key, item] = path;
      const line = typeof key === 'string' ? keyLines.get(key) : undefined;
      if (line === undefined) return null;
      if (typeof item !== 'number' || valueOnLine(line - 1) !== '') return line;
      // A block list: the n-th "- " line below the key, before the next top-level key.
      let seen = -1;
      for (let index = line; index < close && !TOP_LEVEL_KEY.test(lines[index]); index += 1) {
        if (/^\s+-(\s|$)/.test(lines[index])) seen += 1;
        if (seen === item) return index + 1;
      }
      return line;
    },
    rawValueOf(key) {
      const line = keyLines.get(key);
      if (line === undefined) return null;
      const value = valueOnLine(line - 1);
      if (value !== '' || line >= close || TOP_LEVEL_KEY.test(lines[line])) return value || null;
      // The value on the line below its key (an indented scalar).
      return lines[line].replace(/(^|\s)#.*$/, '').trim() || null;
    },
  };
}
