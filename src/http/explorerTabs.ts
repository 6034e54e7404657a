import fs from 'node:fs';
import path from 'node:path';

/** One tab the explorer opens with (GraphiQL's defaultTabs), from one .graphql file. */
export interface ExplorerTab {
  query: string;
  /** The example variables of `<Name>.variables.json` beside `<Name>.graphql`, as JSON text. */
  variables?: string;
}

/** A file's text, or undefined where there is no such file. */
async function readIfThere(file: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Variables as GraphiQL's editor shows them: indented; text that is not JSON as it is. */
function variablesText(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text.trim();
  }
}

/**
 * The example operations the explorer opens with: every `*.graphql` file in `dir` (the README's
 * named operations in docs/queries/ by default, EXPLORER_QUERIES_DIR), one tab each in file name
 * order, with the variables of its `.variables.json` file where there is one. Folders are not
 * read: docs/queries/editorial/ holds the README's writes, which a tab would run at one click. A
 * missing or empty folder gives no tabs; blank files are left out. Read on every call, so an
 * edited file shows on the next page load.
 */
export async function readExplorerTabs(dir: string): Promise<ExplorerTab[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const files = names.filter(name => name.endsWith('.graphql')).sort();
  const tabs = await Promise.all(
    files.map(async (name): Promise<ExplorerTab> => {
      const query = (await fs.promises.readFile(path.join(dir, name), 'utf8')).trim();
      const variables = await readIfThere(
        path.join(dir, `${name.slice(0, -'.graphql'.length)}.variables.json`),
      );
      return variables === undefined ? { query } : { query, variables: variablesText(variables) };
    }),
  );
  return tabs.filter(tab => tab.query !== '');
}
