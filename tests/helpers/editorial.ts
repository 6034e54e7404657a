import type { TestGateway } from './testGateway';

/** GraphQL documents of the editorial mutations, as a client sends them. */
export const articleFields = /* GraphQL */ `
  id
  slug
  title
  status
  locale
  revision
  publishedAt
  updatedAt
  excerpt
  featured
  body(format: MARKDOWN)
  mainImage {
    url
    alt
  }
  authors {
    slug
  }
  tags {
    slug
  }
`;

export const createArticleMutation = /* GraphQL */ `
  mutation Create($input: CreateArticleInput!) {
    createArticle(input: $input) {
      revision
      article { ${articleFields} }
    }
  }
`;

export const updateArticleMutation = /* GraphQL */ `
  mutation Update($input: UpdateArticleInput!) {
    updateArticle(input: $input) {
      revision
      article { ${articleFields} }
    }
  }
`;

export const publishArticleMutation = /* GraphQL */ `
  mutation Publish($input: PublishArticleInput!) {
    publishArticle(input: $input) {
      revision
      article { ${articleFields} }
    }
  }
`;

export interface ArticleResult {
  id: string;
  slug: string;
  title: string;
  status: string;
  locale: string;
  revision: number;
  publishedAt: string | null;
  updatedAt: string;
  excerpt: string;
  featured: boolean;
  body: string;
  mainImage: { url: string; alt: string | null } | null;
  authors: { slug: string }[];
  tags: { slug: string }[];
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** Creates a draft through the API and returns it; throws on any error. */
export async function createDraft(
  gateway: TestGateway,
  secret: string,
  input: Record<string, unknown>,
): Promise<ArticleResult> {
  const response = await gateway.gql<{ createArticle: { article: ArticleResult } }>(
    createArticleMutation,
    { input: { body: 'Ein Absatz.\n\n## Abschnitt\n\nNoch einer.', ...input } },
    bearer(secret),
  );
  if (response.body.errors) throw new Error(JSON.stringify(response.body.errors));
  return response.body.data!.createArticle.article;
}
