import path from 'node:path';
import { describeEachDatabase, type TestDialect } from './helpers/databases';
import {
  bearer,
  createArticleMutation,
  createDraft,
  publishArticleMutation,
  updateArticleMutation,
} from './helpers/editorial';
import { type ArticleFixture, articleFile } from './helpers/fixtures';
import type { Json } from './helpers/Json';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { createToken } from '../src/access/apiTokens';
import { ConfigError, loadConfig } from '../src/config';
import { importContent, readContentFiles } from '../src/content/import/contentImport';
import type { ContentFile } from '../src/content/import/contentImport';
import { bestLocaleMatch, localizedName } from '../src/content/localeFallback';

/** An article file with a translation key (written below its locale, as an editor would). */
function version(fixture: ArticleFixture & { translationKey?: string }): ContentFile {
  const file = articleFile(fixture);
  if (!fixture.translationKey) return file;
  return {
    ...file,
    text: file.text.replace(
      /^locale: .*$/m,
      line => `${line}\ntranslationKey: ${fixture.translationKey}`,
    ),
  };
}

const day = (n: number) => new Date(Date.UTC(2026, 9, 1 + n, 8)).toISOString();

/**
 * One story in German, Austrian German and English (and a French draft), German and English
 * articles that share its tags, a tag and an author with names per language, and ten stories in
 * two languages each for the statement counts.
 */
const fixtures: ContentFile[] = [
  {
    name: 'karriere.md',
    text: '---\ntype: tag\nslug: karriere\nname: Karriere\nnames:\n  en: Career\n  fr: Carrière\n---\n',
  },
  { name: 'remote.md', text: '---\ntype: tag\nslug: remote\nname: Remote-Arbeit\n---\n' },
  {
    name: 'redaktion.md',
    text: '---\ntype: author\nslug: redaktion\nname: Redaktion\nnames: { en: Editorial team }\n---\n',
  },
  version({
    slug: 'vier-tage-woche',
    locale: 'de',
    translationKey: 'four-day-week',
    tags: ['karriere', 'remote'],
    authors: ['redaktion'],
    date: day(10),
  }),
  version({
    slug: 'vier-tage-woche-oesterreich',
    locale: 'de-AT',
    translationKey: 'four-day-week',
    tags: ['karriere', 'remote'],
    date: day(9),
  }),
  version({
    slug: 'four-day-week',
    locale: 'en',
    translationKey: 'four-day-week',
    tags: ['karriere', 'remote'],
    date: day(11),
  }),
  version({
    slug: 'semaine-de-quatre-jours',
    locale: 'fr',
    translationKey: 'four-day-week',
    status: 'draft',
    date: null,
  }),
  // Shares both tags with the story and is newer than any German article: today's related list
  // put it first for the German version.
  version({ slug: 'remote-first', locale: 'en', tags: ['karriere', 'remote'], date: day(12) }),
  version({ slug: 'remote-tools', locale: 'en', tags: ['remote'], date: day(13) }),
  version({ slug: 'homeoffice-regeln', locale: 'de', tags: ['karriere', 'remote'], date: day(5) }),
  version({ slug: 'gehalt-verhandeln', locale: 'de', tags: ['karriere'], date: day(4) }),
  version({
    slug: 'english-only',
    locale: 'en',
    translationKey: 'english-only',
    tags: ['karriere'],
    date: day(3),
  }),
  ...Array.from({ length: 10 }, (_, index) => [
    version({
      slug: `serie-de-${index}`,
      locale: 'de',
      translationKey: `serie-${index}`,
      tags: ['serie'],
      date: day(-20 + index),
    }),
    version({
      slug: `serie-en-${index}`,
      locale: 'en',
      translationKey: `serie-${index}`,
      tags: ['serie'],
      date: day(-20 + index),
    }),
  ]).flat(),
];

const articleQuery = /* GraphQL */ `
  query Article($slug: String!, $locale: String, $fallbackLocales: [String!]) {
    article(slug: $slug, locale: $locale, fallbackLocales: $fallbackLocales) {
      slug
      locale
    }
  }
`;

async function startWithFixtures(dialect: TestDialect, env?: Record<string, string>) {
  const gateway = await startTestGateway(dialect, { env });
  await gateway.importFiles(fixtures);
  return gateway;
}

describeEachDatabase('Translations', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startWithFixtures(dialect);
  });
  afterAll(() => gateway.close());

  const bestVersion = async (slug: string, locale?: string, fallbackLocales?: string[]) => {
    const { body } = await gateway.gql<Json>(articleQuery, { slug, locale, fallbackLocales });
    expect(body.errors).toBeUndefined();
    return body.data?.article ? body.data.article.slug : null;
  };

  it('lists the other published versions of a story by locale, for hreflang', async () => {
    const { body } = await gateway.gql<Json>(/* GraphQL */ `
      {
        article(slug: "vier-tage-woche") {
          translationKey
          translations {
            slug
            locale
            translationKey
          }
        }
        untranslated: article(slug: "gehalt-verhandeln") {
          translationKey
          translations {
            slug
          }
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    expect(body.data?.article).toEqual({
      translationKey: 'four-day-week',
      // The French draft is not public.
      translations: [
        { slug: 'vier-tage-woche-oesterreich', locale: 'de-AT', translationKey: 'four-day-week' },
        { slug: 'four-day-week', locale: 'en', translationKey: 'four-day-week' },
      ],
    });
    expect(body.data?.untranslated).toEqual({ translationKey: null, translations: [] });
  });

  it('answers the version in the wanted locale, else in each fallback in order, else null', async () => {
    // The article itself where it is in the locale; its translation where it is not.
    expect(await bestVersion('vier-tage-woche', 'de')).toBe('vier-tage-woche');
    expect(await bestVersion('vier-tage-woche', 'en')).toBe('four-day-week');
    expect(await bestVersion('four-day-week', 'de-AT')).toBe('vier-tage-woche-oesterreich');
    // de-CH has no version: its language's does (RFC 4647 lookup); 'de' prefers plain 'de'.
    expect(await bestVersion('four-day-week', 'de-CH', [])).toBe('vier-tage-woche');
    expect(await bestVersion('vier-tage-woche-oesterreich', 'de')).toBe('vier-tage-woche');
    // The French version is a draft: the fallbacks decide, in their order.
    expect(await bestVersion('four-day-week', 'fr', ['de', 'en'])).toBe('vier-tage-woche');
    expect(await bestVersion('vier-tage-woche', 'fr', ['it', 'en', 'de'])).toBe('four-day-week');
    expect(await bestVersion('vier-tage-woche', 'fr', [])).toBeNull();
    // No version in any wanted locale: null, not the slug's own article in another language.
    expect(await bestVersion('english-only', 'de', [])).toBeNull();
    expect(await bestVersion('gehalt-verhandeln', 'en', [])).toBeNull();
    expect(await bestVersion('english-only', 'de', ['en'])).toBe('english-only');
    // Without a locale, the article of the slug, as before; an unknown slug stays null.
    expect(await bestVersion('four-day-week')).toBe('four-day-week');
    expect(await bestVersion('no-such-article', 'de')).toBeNull();
  });

  it('falls back to LOCALE_FALLBACK (default en) where fallbackLocales is omitted', async () => {
    expect(gateway.config.localeFallback).toEqual(['en']);
    expect(await bestVersion('vier-tage-woche', 'fr')).toBe('four-day-week');
    expect(await bestVersion('gehalt-verhandeln', 'fr')).toBeNull();
    const german = await startWithFixtures(dialect, { LOCALE_FALLBACK: 'de' });
    try {
      const { body } = await german.gql<Json>(articleQuery, {
        slug: 'four-day-week',
        locale: 'fr',
      });
      expect(body.data?.article).toEqual({ slug: 'vier-tage-woche', locale: 'de' });
    } finally {
      await german.close();
    }
  });

  it('finds a translation by id too, and costs one more statement only where one is needed', async () => {
    const own = await gateway.gql<Json>(articleQuery, { slug: 'vier-tage-woche', locale: 'de' });
    const other = await gateway.gql<Json>(articleQuery, { slug: 'vier-tage-woche', locale: 'en' });
    expect(own.statements).toBe(1);
    expect(other.statements).toBe(2);
    const { body } = await gateway.gql<Json>(
      'query($id: ID!) { article(id: $id, locale: "en") { slug } }',
      {
        id: (await gateway.gql<Json>('{ article(slug: "vier-tage-woche") { id } }')).body.data
          ?.article.id,
      },
    );
    expect(body.data?.article).toEqual({ slug: 'four-day-week' });
  });

  it('refuses a locale with preview rather than ignore either', async () => {
    const { status, body } = await gateway.gql<Json>(
      '{ article(slug: "vier-tage-woche", locale: "en", preview: true) { slug } }',
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'locale cannot be combined with preview or previewToken.',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('refuses a locale that is not a BCP 47 tag, and fallbackLocales without a locale', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ locale: 'de_DE' }, 'locale must be a BCP 47 tag such as de or en-GB, got "de_DE".'],
      [{ locale: 'de', fallbackLocales: ['en', ''] }, 'fallbackLocales must be a BCP 47 tag'],
      [{ fallbackLocales: ['en'] }, 'fallbackLocales needs locale, got no locale.'],
      [{ locale: 'de', fallbackLocales: Array(11).fill('en') }, 'at most 10 locales, got 11'],
    ];
    for (const [variables, message] of cases) {
      const { status, body } = await gateway.gql<Json>(articleQuery, {
        slug: 'vier-tage-woche',
        ...variables,
      });
      expect(status).toBe(400);
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0].message).toContain(message);
    }
  });

  it("lists related articles in the article's own language by default", async () => {
    const { body } = await gateway.gql<Json>(/* GraphQL */ `
      {
        german: article(slug: "vier-tage-woche") {
          related(first: 5) {
            slug
          }
        }
        english: article(slug: "four-day-week") {
          related(first: 5) {
            slug
          }
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    // de-AT is German too, but the story's own versions are never "related".
    expect(body.data?.german.related.map((a: Json) => a.slug)).toEqual([
      'homeoffice-regeln',
      'gehalt-verhandeln',
    ]);
    expect(body.data?.english.related.map((a: Json) => a.slug)).toEqual([
      'remote-first',
      'remote-tools',
      'english-only',
    ]);
  });

  it('lists related articles in every language with anyLocale, still without translations', async () => {
    const { body } = await gateway.gql<Json>(/* GraphQL */ `
      {
        article(slug: "vier-tage-woche") {
          related(first: 5, anyLocale: true) {
            slug
          }
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    expect(body.data?.article.related.map((a: Json) => a.slug)).toEqual([
      'remote-first',
      'homeoffice-regeln',
      'remote-tools',
      'gehalt-verhandeln',
      'english-only',
    ]);
  });

  it('names tags and authors per language, else by their default name', async () => {
    const { body } = await gateway.gql<Json>(/* GraphQL */ `
      {
        article(slug: "vier-tage-woche") {
          tags {
            name
            en: name(locale: "en")
            gb: name(locale: "en-GB")
            it: name(locale: "it")
          }
          authors {
            name
            en: name(locale: "en")
          }
        }
        tag(slug: "karriere") {
          fr: name(locale: "fr")
        }
      }
    `);
    expect(body.errors).toBeUndefined();
    expect(body.data?.article.tags).toEqual([
      { name: 'Karriere', en: 'Career', gb: 'Career', it: 'Karriere' },
      { name: 'Remote-Arbeit', en: 'Remote-Arbeit', gb: 'Remote-Arbeit', it: 'Remote-Arbeit' },
    ]);
    expect(body.data?.article.authors).toEqual([{ name: 'Redaktion', en: 'Editorial team' }]);
    expect(body.data?.tag).toEqual({ fr: 'Carrière' });
    const bad = await gateway.gql<Json>('{ tag(slug: "karriere") { name(locale: "english") } }');
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('runs the same number of SQL statements for 2 and 20 articles with translations', async () => {
    const query = /* GraphQL */ `
      query ($first: Int!) {
        articles(first: $first, filter: { tagSlugs: ["serie"] }) {
          edges {
            node {
              slug
              translations {
                slug
                locale
                tags {
                  name(locale: "en")
                }
              }
              related(first: 2) {
                slug
              }
              everywhere: related(first: 2, anyLocale: true) {
                slug
              }
              tags {
                name(locale: "en")
              }
            }
          }
        }
      }
    `;
    const small = await gateway.gql<Json>(query, { first: 2 });
    const large = await gateway.gql<Json>(query, { first: 20 });
    expect(small.body.errors).toBeUndefined();
    expect(large.body.errors).toBeUndefined();
    expect(large.body.data?.articles.edges).toHaveLength(20);
    for (const { body } of [small, large]) {
      for (const { node } of body.data?.articles.edges ?? []) {
        const pair = node.slug.replace(
          /-(de|en)-/,
          (_: string, l: string) => `-${l === 'de' ? 'en' : 'de'}-`,
        );
        expect(node.translations).toEqual([
          { slug: pair, locale: pair.includes('-de-') ? 'de' : 'en', tags: [{ name: 'Serie' }] },
        ]);
      }
    }
    // The page, the translations, the tags, related in the own language, related in any: the
    // pairs are on the page together, so the translations' tags come from the page's batch.
    expect(small.statements).toBe(5);
    expect(large.statements).toBe(small.statements);
  });

  it('refuses a second version of a story in the same locale, naming the first', async () => {
    const report = await importContent(
      gateway.db,
      [
        version({
          slug: 'noch-eine-vier-tage-woche',
          locale: 'de',
          translationKey: 'four-day-week',
        }),
      ],
      gateway.clock(),
    );
    expect(report.problems).toEqual([
      {
        file: 'noch-eine-vier-tage-woche.md',
        line: null,
        message: 'translationKey: four-day-week already has a de version, vier-tage-woche',
      },
    ]);
  });

  it('sets and removes translationKey through the editorial mutations, one version a locale', async () => {
    const secret = await createToken(gateway.db, 'redaktion', ['content:write'], gateway.clock());
    const versions = async () => {
      const { body } = await gateway.gql<Json>(
        '{ article(slug: "vier-tage-woche") { translations { locale } } }',
      );
      return body.data?.article.translations.map((version: Json) => version.locale);
    };
    const draft = await createDraft(gateway, secret, {
      title: 'La settimana corta',
      locale: 'it',
      translationKey: 'four-day-week',
    });
    const published = await gateway.gql<Json>(
      publishArticleMutation,
      { input: { id: draft.id } },
      bearer(secret),
    );
    expect(published.body.errors).toBeUndefined();
    expect(await versions()).toEqual(['de-AT', 'en', 'it']);

    const refusals: [Record<string, unknown>, string][] = [
      [
        { locale: 'de', translationKey: 'four-day-week' },
        'already has a de version, vier-tage-woche',
      ],
      [
        { translationKey: 'Four Day Week' },
        'expected lower-case letters, digits and single hyphens',
      ],
    ];
    for (const [input, message] of refusals) {
      const refused = await gateway.gql<Json>(
        createArticleMutation,
        { input: { title: 'Noch eine', body: 'Ein Absatz.', ...input } },
        bearer(secret),
      );
      expect(refused.body.errors?.[0].message).toContain(message);
      expect(refused.body.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.translationKey',
      });
    }

    const removed = await gateway.gql<Json>(
      updateArticleMutation,
      {
        input: {
          id: draft.id,
          expectedRevision: published.body.data?.publishArticle.revision,
          translationKey: null,
        },
      },
      bearer(secret),
    );
    expect(removed.body.errors).toBeUndefined();
    expect(await versions()).toEqual(['de-AT', 'en']);
  });

  it('sets and removes the names per language of tags and authors through the mutations', async () => {
    const secret = await createToken(gateway.db, 'namen', ['content:write'], gateway.clock());
    const write = (mutation: string, input: Record<string, unknown>) =>
      gateway.gql<Json>(mutation, { input }, bearer(secret));
    const createTag = /* GraphQL */ `
      mutation ($input: TagInput!) {
        createTag(input: $input) {
          tag {
            id
            name
            en: name(locale: "en-GB")
          }
        }
      }
    `;
    const updateTag = /* GraphQL */ `
      mutation ($input: UpdateTagInput!) {
        updateTag(input: $input) {
          tag {
            en: name(locale: "en")
          }
        }
      }
    `;
    const created = await write(createTag, {
      name: 'Stadt',
      names: [{ locale: 'en', name: 'City' }],
    });
    expect(created.body.errors).toBeUndefined();
    const { id, ...names } = created.body.data?.createTag.tag as Json;
    expect(names).toEqual({ name: 'Stadt', en: 'City' });
    const cleared = await write(updateTag, { id, names: null });
    expect(cleared.body.data?.updateTag.tag).toEqual({ en: 'Stadt' });

    const author = await write(
      'mutation ($input: AuthorInput!) { createAuthor(input: $input) { author { name(locale: "en") } } }',
      { name: 'Redaktion Nord', names: [{ locale: 'en', name: 'North desk' }] },
    );
    expect(author.body.data?.createAuthor.author).toEqual({ name: 'North desk' });

    for (const names of [
      [
        { locale: 'en', name: 'City' },
        { locale: 'en', name: 'Town' },
      ],
      [{ locale: 'English', name: 'City' }],
      [{ locale: 'en', name: ' ' }],
    ]) {
      const refused = await write(updateTag, { id, names });
      expect(refused.body.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: 'input.names',
      });
    }
  });

  it('refuses names whose keys are not locales, with the line', async () => {
    const report = await importContent(
      gateway.db,
      [
        {
          name: 'bad.md',
          text: '---\ntype: tag\nslug: bad\nname: Bad\nnames:\n  English: Bad\n---\n',
        },
      ],
      gateway.clock(),
    );
    expect(report.problems).toEqual([
      {
        file: 'bad.md',
        line: 5,
        message: 'names: expected BCP 47 tags such as de or en-GB as keys',
      },
    ]);
  });
});

describe('locale fallback rules', () => {
  const versions = [{ locale: 'de' }, { locale: 'de-AT' }, { locale: 'en' }];
  const best = (wanted: string[]) => bestLocaleMatch(versions, v => v.locale, wanted)?.locale;

  it('prefers the same tag, then its language, then a regional variant, case-insensitively', () => {
    expect(best(['de-at'])).toBe('de-AT');
    expect(best(['de-CH'])).toBe('de');
    expect(best(['DE'])).toBe('de');
    expect(bestLocaleMatch([{ locale: 'de-AT' }], v => v.locale, ['de'])?.locale).toBe('de-AT');
    expect(best(['fr', 'en', 'de'])).toBe('en');
    expect(best(['fr'])).toBeUndefined();
  });

  it('answers the default name for a missing locale, name or a broken names column', () => {
    expect(localizedName('Karriere', '{"en":"Career"}', 'en-US')).toBe('Career');
    expect(localizedName('Karriere', '{"en":"Career"}', null)).toBe('Karriere');
    expect(localizedName('Karriere', null, 'en')).toBe('Karriere');
    expect(localizedName('Karriere', 'not json', 'en')).toBe('Karriere');
    expect(localizedName('Karriere', '["Career"]', 'en')).toBe('Karriere');
  });
});

describe('the demo content in translation', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite');
    await gateway.importFiles(readContentFiles(path.join(__dirname, '../content/demo')));
  });
  afterAll(() => gateway.close());

  it('relates every article only to articles in its own language', async () => {
    const { body } = await gateway.gql<Json>(
      '{ articles(first: 100) { edges { node { slug locale related(first: 3) { locale } } } } }',
    );
    expect(body.errors).toBeUndefined();
    const mixed = (body.data?.articles.edges ?? [])
      .map(({ node }: Json) => ({
        slug: node.slug,
        others: node.related.filter((related: Json) => related.locale !== node.locale).length,
      }))
      .filter((entry: Json) => entry.others > 0);
    expect(mixed).toEqual([]);
  });

  it('has German and English versions of a story that link to each other, with tag names in both', async () => {
    const { body } = await gateway.gql<Json>(/* GraphQL */ `
      {
        article(slug: "async-by-default", locale: "de") {
          slug
          locale
          translations {
            slug
            locale
          }
          primaryTag {
            name
            en: name(locale: "en")
          }
        }
      }
    `);
    expect(body.data?.article).toEqual({
      slug: 'asynchron-als-standard',
      locale: 'de',
      translations: [{ slug: 'async-by-default', locale: 'en' }],
      primaryTag: { name: 'Remote-Arbeit', en: 'Remote work' },
    });
  });
});

describe('LOCALE_FALLBACK', () => {
  it('reads a list of locales in order, none for no fallback, en by default', () => {
    expect(loadConfig({}).localeFallback).toEqual(['en']);
    expect(loadConfig({ LOCALE_FALLBACK: 'de-AT, de,en' }).localeFallback).toEqual([
      'de-AT',
      'de',
      'en',
    ]);
    expect(loadConfig({ LOCALE_FALLBACK: 'none' }).localeFallback).toEqual([]);
  });

  it('refuses what is not a list of BCP 47 tags, and languages without a reading rate', () => {
    expect(() => loadConfig({ LOCALE_FALLBACK: 'de;en' })).toThrow(
      'Invalid setting LOCALE_FALLBACK: expected none or a comma-separated list of at most 10 different BCP 47 tags such as de,en, got "de;en".',
    );
    expect(() => loadConfig({ LOCALE_FALLBACK: 'en,en' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOCALE_FALLBACK: 'fr' })).toThrow(
      'Invalid setting LOCALE_FALLBACK: expected languages of READING_WORDS_PER_MINUTE (de, en), got "fr".',
    );
    expect(
      loadConfig({ LOCALE_FALLBACK: 'fr', READING_WORDS_PER_MINUTE: 'de:179,en:228,fr:195' })
        .localeFallback,
    ).toEqual(['fr']);
  });
});
