/** One row of a table of a Ghost export, with Ghost's column names (data/schema/schema.js). */
export type GhostRow = Record<string, unknown>;

/** The tables of a Ghost export the import reads; each is [] where the export has none. */
export interface GhostTables {
  posts: GhostRow[];
  /** Ghost 3+: SEO fields; 4+: feature_image_alt and feature_image_caption too. */
  posts_meta: GhostRow[];
  tags: GhostRow[];
  users: GhostRow[];
  posts_tags: GhostRow[];
  /** Ghost 1.22+; a Ghost 2 post also names its primary author in posts.author_id. */
  posts_authors: GhostRow[];
  settings: GhostRow[];
}

export interface GhostExport {
  /** meta.version: "2.38.0", "5.96.1" (Ghost's own version); null where absent. */
  version: string | null;
  /** The major version (2 to 5, 6 reads as 5 does); null where the export names none. */
  major: number | null;
  tables: GhostTables;
  /** The 1-based line where a row's "id" first appears in the file (a minified export: 1). */
  lineOf: (id: string) => number | null;
}

/** The export is not a Ghost export, or not JSON: said once, for the whole file. */
export class GhostExportError extends Error {}

const tableNames = [
  'posts',
  'posts_meta',
  'tags',
  'users',
  'posts_tags',
  'posts_authors',
  'settings',
] as const;

/** Every `"id": "..."` of the text with its line, for the report's line numbers. */
function idLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const pattern = /"id"\s*:\s*"([^"]*)"|"id"\s*:\s*(\d+)|\n/g;
  let line = 1;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[0] === '\n') line += 1;
    else {
      const id = match[1] ?? match[2];
      if (!lines.has(id)) lines.set(id, line);
    }
  }
  return lines;
}

/**
 * Reads the JSON of Ghost's export (Settings, Labs or Advanced, Export; GET /ghost/api/admin/db/)
 * in either form Ghost's importer takes: { db: [{ meta, data }] } as Ghost writes it, or the bare
 * { meta, data } of a hand-made file (docs.ghost.org/migration/custom). The whole file is parsed
 * at once: a Ghost export is its site's database without images, tens of MB for a large site.
 */
export function parseGhostExport(text: string): GhostExport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GhostExportError(`not JSON: ${(error as Error).message}`);
  }
  const root = json as { db?: unknown[]; meta?: unknown; data?: unknown } | null;
  const entry = (Array.isArray(root?.db) ? root.db[0] : root) as {
    meta?: { version?: unknown };
    data?: Record<string, unknown>;
  } | null;
  if (!entry || typeof entry.data !== 'object' || entry.data === null) {
    throw new GhostExportError(
      'not a Ghost export: expected { db: [{ meta, data }] } or { meta, data }',
    );
  }
  const data = entry.data;
  if (!Array.isArray(data.posts)) {
    throw new GhostExportError('not a Ghost export: data.posts is not a list');
  }
  const tables = Object.fromEntries(
    tableNames.map(name => [name, Array.isArray(data[name]) ? data[name] : []]),
  ) as unknown as GhostTables;
  const version = entry.meta?.version == null ? null : String(entry.meta.version);
  const majorText = version === null ? null : /^(\d+)\./.exec(version)?.[1];
  const lines = idLines(text);
  return {
    version,
    major: majorText ? Number(majorText) : null,
    tables,
    lineOf: id => lines.get(id) ?? null,
  };
}
