import type { DataSource } from 'typeorm';
import { articleFacts, articleKeys, articlePayload, translationsOf } from './articleChange';
import { cacheKeys } from './cacheKeys';
import { contentTransaction } from './contentTransaction';
import { recordChange } from './recordChange';
import { dialectOf, SqlParams } from '../../db/dialect';
import { Article } from '../../entities/Article';
import { ArticleStatus } from '../../entities/enums';
import { readLinks } from '../editorial/articleLinks';

const due = (params: SqlParams, now: number) =>
  `status = '${ArticleStatus.PUBLISHED}' AND published_at <= ${params.add(now)}
   AND (published_announced_at IS NULL OR published_announced_at <> published_at)`;

/**
 * Records `article.published` for every article whose scheduled time has come by `now` and that
 * no event announced yet: what the publication schedule calls when a time passes, and the
 * change feed at start (a time that passed while no gateway ran). Exactly once per article and
 * publishedAt, across restarts and replicas: each is claimed by a conditional UPDATE of
 * published_announced_at in the event's own transaction, and a second claimer (another replica,
 * or a write that announced it first) matches no row. Returns the ids announced here.
 */
export async function announcePublications(db: DataSource, now: Date): Promise<number[]> {
  const dialect = dialectOf(db);
  const find = new SqlParams(dialect);
  const rows: { internal_id: unknown }[] = await db.query(
    `SELECT internal_id FROM article WHERE ${due(find, now.getTime())}
     ORDER BY published_at, internal_id`,
    find.values,
  );
  const announced: number[] = [];
  for (const id of rows.map(row => Number(row.internal_id))) {
    const claimed = await contentTransaction(db, async manager => {
      const claim = new SqlParams(dialect);
      const result = await manager.queryRunner!.query(
        `UPDATE article SET published_announced_at = published_at
         WHERE internal_id = ${claim.add(id)} AND ${due(claim, now.getTime())}`,
        claim.values,
        true,
      );
      if (!result.affected) return false;
      const article = await manager.findOneByOrFail(Article, { internalId: id });
      const facts = articleFacts(article, await readLinks(manager, id));
      const translations = await translationsOf(manager, { before: null, after: facts, now });
      await recordChange(manager, {
        type: 'article.published',
        occurredAt: now.toISOString(),
        article: articlePayload(facts, null, facts.updatedAt, translations),
        keys: [...articleKeys(null, facts, true), ...translations.map(cacheKeys.article)],
        subject: { type: 'Article', id },
        publicChange: true,
      });
      return true;
    });
    if (claimed) announced.push(id);
  }
  return announced;
}
