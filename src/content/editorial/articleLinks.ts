import type { EntityManager } from 'typeorm';
import { ArticleAuthor } from '../../entities/ArticleAuthor';
import { ArticleTag } from '../../entities/ArticleTag';

/** An article's ordered author and tag ids; the first of each is the primary one. */
export interface ArticleLinks {
  authorIds: number[];
  tagIds: number[];
}

/** The article's links as stored, in their order. */
export async function readLinks(manager: EntityManager, articleId: number): Promise<ArticleLinks> {
  const [authors, tags] = [
    await manager.find(ArticleAuthor, { where: { articleId }, order: { position: 'ASC' } }),
    await manager.find(ArticleTag, { where: { articleId }, order: { position: 'ASC' } }),
  ];
  return { authorIds: authors.map(link => link.authorId), tagIds: tags.map(link => link.tagId) };
}

/** Sets an article's ordered authors and tags (the first is primary), each once. */
export async function writeLinks(
  manager: EntityManager,
  articleId: number,
  links: ArticleLinks,
): Promise<void> {
  await manager.delete(ArticleAuthor, { articleId });
  await manager.delete(ArticleTag, { articleId });
  const authorIds = [...new Set(links.authorIds)];
  const tagIds = [...new Set(links.tagIds)];
  if (authorIds.length) {
    await manager.insert(
      ArticleAuthor,
      authorIds.map((authorId, position) => ({ articleId, authorId, position })),
    );
  }
  if (tagIds.length) {
    await manager.insert(
      ArticleTag,
      tagIds.map((tagId, position) => ({ articleId, tagId, position })),
    );
  }
}
