import type { AnswerKeys } from './answerKeys';
import { lookupLoader } from './lookup';
import { cacheKeys } from '../content/changes/cacheKeys';
import { tagColumns, tagFromRow } from '../db/reads/tagRows';
import type { Sql } from '../db/SqlReader';
import type { Tag } from '../entities/Tag';

export function tagBySlug(db: Sql, keys: AnswerKeys) {
  return lookupLoader<string, Tag>(db, {
    select: `SELECT ${tagColumns} FROM tag t`,
    column: 't.slug',
    map: row => keys.tag(tagFromRow(row)),
    // A slug no tag has yet: the tag list's key, which a tag created purges.
    onMiss: () => keys.add(cacheKeys.tagLists),
    keyOf: row => String(row.slug),
  });
}
