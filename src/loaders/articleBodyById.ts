import DataLoader from 'dataloader';
import { SqlParams } from '../db/dialect';
import { articleBodyColumns } from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';
import type { BodyFormat } from '../entities/enums';

export interface BodyKey {
  articleId: number;
  format: BodyFormat;
}

/**
 * Article bodies in one format, read only when a query asks for `body`: lists of cards never
 * carry them. One statement per format asked for in a request.
 */
export function articleBodyById(db: Sql) {
  return new DataLoader<BodyKey, string, string>(
    async keys => {
      const formats = [...new Set(keys.map(key => key.format))];
      const bodies = new Map<string, string>();
      for (const format of formats) {
        const params = new SqlParams(db.dialect);
        const ids = keys.filter(key => key.format === format).map(key => key.articleId);
        const rows: { internal_id: number; body: string }[] = await db.query(
          `SELECT internal_id, ${articleBodyColumns[format]} AS body FROM article WHERE internal_id IN ${params.list(ids)}`,
          params.values,
        );
        for (const row of rows) bodies.set(`${format}:${row.internal_id}`, row.body);
      }
      return keys.map(key => bodies.get(`${key.format}:${key.articleId}`) ?? '');
    },
    { cacheKeyFn: key => `${key.format}:${key.articleId}` },
  );
}
