/** A value of an INSERT tuple: its text (unescaped where it was quoted), or null for NULL. */
export type SqlValue = string | null;

/** One tuple of an INSERT into the wanted table, with the columns the statement names. */
export interface SqlDumpRow {
  /** The 1-based line the tuple starts on. */
  line: number;
  /** The table as the statement names it ("wp_popularpostssummary", "wp_2_top_ten_daily"). */
  table: string;
  /** The statement's column list, lower-cased; null where it gives none (the table's order). */
  columns: string[] | null;
  values: SqlValue[];
}

// An INSERT (or REPLACE) at the start of a statement, up to VALUES: mysqldump writes the whole
// statement on one line, phpMyAdmin puts each tuple on a line of its own after it.
const insertHead =
  /^(?:INSERT|REPLACE)\s+(?:(?:LOW_PRIORITY|DELAYED|HIGH_PRIORITY|IGNORE)\s+)*INTO\s+[`"]?([A-Za-z0-9_$]+)[`"]?\s*(?:\(([^)]*)\))?\s*VALUES\s*/i;

// MySQL's backslash escapes inside a quoted string.
const escapes: Record<string, string> = {
  '0': '\u0000',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\u001a',
};

type Mode = 'between' | 'comment' | 'other' | 'insert';

/**
 * Reads the INSERT statements of one table from a MySQL dump (mysqldump, wp db export,
 * phpMyAdmin), line by line, so a dump of the whole site is read in bounded memory: every other
 * statement is skipped (its quoted strings followed, so a post body that holds "INSERT INTO" or
 * a semicolon is not mistaken for a statement). `wanted` decides by the table's name.
 */
export class SqlDumpReader {
  private mode: Mode = 'between';
  private quote: string | null = null;
  private escaped = false;
  private table = '';
  private columns: string[] | null = null;
  private depth = 0;
  private fields: SqlValue[] = [];
  private field = '';
  private quoted = false;
  private tupleLine = 0;

  constructor(private readonly wanted: (table: string) => boolean) {}

  /** The tuples of the wanted table that end on this line (a tuple may begin on an earlier one). */
  feed(text: string, line: number): SqlDumpRow[] {
    const rows: SqlDumpRow[] = [];
    let at = 0;
    while (at <= text.length) {
      if (this.mode === 'comment') {
        const end = text.indexOf('*/', at);
        if (end === -1) return rows;
        this.mode = 'between';
        at = end + 2;
      }
      if (this.mode === 'between') {
        const rest = text.slice(at).trimStart();
        if (rest === '' || rest.startsWith('--') || rest.startsWith('#')) return rows;
        // A comment (not MySQL's executable /*!...*/, which ends with a semicolon like a statement).
        if (rest.startsWith('/*') && !rest.startsWith('/*!')) {
          this.mode = 'comment';
          at = text.length - rest.length + 2;
          continue;
        }
        const head = insertHead.exec(rest);
        if (head && this.wanted(head[1])) {
          this.mode = 'insert';
          this.table = head[1];
          this.columns = head[2]
            ? head[2].split(',').map(name =>
                name
                  .trim()
                  .replace(/^[`"]|[`"]$/g, '')
                  .toLowerCase(),
              )
            : null;
          this.depth = 0;
          at = text.length - rest.length + head[0].length;
        } else {
          this.mode = 'other';
          at = text.length - rest.length;
        }
      }
      at = this.mode === 'other' ? this.skipOther(text, at) : this.readTuples(text, at, line, rows);
      if (at < 0) return rows;
    }
    return rows;
  }

  /** Whether the dump ended inside a statement of the wanted table (a cut file). */
  get unfinished(): boolean {
    return this.mode === 'insert';
  }

  /** Follows another statement to its end; where the next one starts, or -1 at the line's end. */
  private skipOther(text: string, from: number): number {
    for (let at = from; at < text.length; at += 1) {
      const ch = text[at];
      if (this.quote !== null) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\' && this.quote !== '`') this.escaped = true;
        else if (ch === this.quote) this.quote = null;
      } else if (ch === "'" || ch === '"' || ch === '`') {
        this.quote = ch;
      } else if (ch === ';') {
        this.mode = 'between';
        return at + 1;
      }
    }
    return -1;
  }

  /** Reads tuples up to the statement's end; where the next statement starts, or -1. */
  private readTuples(text: string, from: number, line: number, rows: SqlDumpRow[]): number {
    for (let at = from; at < text.length; at += 1) {
      const ch = text[at];
      if (this.quote !== null) {
        if (this.escaped) {
          this.field += escapes[ch] ?? ch;
          this.escaped = false;
        } else if (ch === '\\') {
          this.escaped = true;
        } else if (ch === this.quote) {
          if (text[at + 1] === this.quote) {
            this.field += ch;
            at += 1;
          } else {
            this.quote = null;
          }
        } else {
          this.field += ch;
        }
        continue;
      }
      if (this.depth === 0) {
        if (ch === '(') {
          this.depth = 1;
          this.fields = [];
          this.field = '';
          this.quoted = false;
          this.tupleLine = line;
        } else if (ch === ';') {
          this.mode = 'between';
          return at + 1;
        }
        continue;
      }
      if (ch === "'" || ch === '"') {
        this.quote = ch;
        this.quoted = true;
      } else if (ch === ',') {
        this.endField();
      } else if (ch === ')') {
        this.endField();
        this.depth = 0;
        rows.push({
          line: this.tupleLine,
          table: this.table,
          columns: this.columns,
          values: this.fields,
        });
      } else if (!/\s/.test(ch)) {
        this.field += ch;
      }
    }
    // A quoted string that goes on past the line holds the line break.
    if (this.quote !== null) this.field += '\n';
    return -1;
  }

  private endField(): void {
    this.fields.push(!this.quoted && this.field.toUpperCase() === 'NULL' ? null : this.field);
    this.field = '';
    this.quoted = false;
  }
}
