import DataLoader from 'dataloader';
import type { AnswerKeys } from './answerKeys';
import { SqlParams } from '../db/dialect';
import { publicArticleCondition } from '../db/reads/articleRows';
import type { Sql } from '../db/SqlReader';

/** How many public articles each author (or tag) has, 0 for none, in one grouped COUNT. */
export function articleCountByParentId(
  db: Sql,
  now: Date,
  link: 'author' | 'tag',
  keys: AnswerKeys,
) {
  const table = link === 'author' ? 'article_author' : 'article_tag';
  const column = link === 'author' ? 'author_id' : 'tag_id';
  return new DataLoader<number, number>(async ids => {
    const params = new SqlParams(db.dialect);
    const rows: { parent_id: number; total: number }[] = await db.query(
      `SELECT l.${column} AS parent_id, COUNT(*) AS total
       FROM ${table} l JOIN article a ON a.internal_id = l.article_id
       WHERE l.${column} IN ${params.list(ids)} AND ${publicArticleCondition(params, now)}
       GROUP BY l.${column}`,
      params.values,
    );
    const counts = new Map(rows.map(row => [Number(row.parent_id), Number(row.total)]));
    for (const id of ids) keys[link]({ internalId: id });
    return ids.map(id => counts.get(id) ?? 0);
  });
}
