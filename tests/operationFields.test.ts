import { type GraphQLSchema, type OperationDefinitionNode, parse } from 'graphql';
import {
  type OperationField,
  type OperationWalk,
  fieldsAtLevel,
  foldFields,
  walkOperation,
} from '../src/plugins/operationFields';
import { buildGatewaySchema } from '../src/schema/buildGatewaySchema';

describe('walkOperation', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  const walk = (query: string, variables?: Record<string, unknown>): OperationWalk => {
    const document = parse(query);
    const operation = document.definitions.find(
      definition => definition.kind === 'OperationDefinition',
    ) as OperationDefinitionNode;
    return walkOperation(schema, document, operation, variables);
  };

  /** Every field of a walk as `Parent.responseKey`, in walk order, a shared fragment once per use. */
  const paths = ({ root }: OperationWalk): string[] =>
    foldFields<string[]>(root, {
      field: (field, inner) => [
        `${field.parentType.name}.${field.responseKey}`,
        ...(inner ?? []).map(path => `  ${path}`),
      ],
      group: (_group, fields, fragments) => [...fields.flat(), ...fragments.flat()],
    });

  const allFields = ({ root }: OperationWalk): OperationField[] =>
    foldFields<OperationField[]>(root, {
      field: (field, inner) => [field, ...(inner ?? [])],
      group: (_group, fields, fragments) => [...fields.flat(), ...fragments.flat()],
    });

  it('expands inline fragments and named fragment spreads, with each field’s parent type', () => {
    const result = walk(`{
      article(slug: "a") { ...Card ... on Article { authors { name } } }
    }
    fragment Card on Article { title tags { ... on Tag { slug } } }`);
    expect(paths(result)).toEqual([
      'Query.article',
      '  Article.title',
      '  Article.tags',
      '    Tag.slug',
      '  Article.authors',
      '    Author.name',
    ]);
  });

  it('gives arguments with variables resolved and defaults applied, and whether a field is a list', () => {
    const result = walk(
      `query ($n: Int = 7, $slug: String!) {
        article(slug: $slug) { related { title } authors { name } readingTime { label } }
        articles(first: $n) { totalCount }
      }`,
      { slug: 'b' },
    );
    const byName = new Map(allFields(result).map(field => [field.name, field]));
    // article(preview: Boolean = false): the schema's default, beside the variable.
    expect(byName.get('article')?.args).toEqual({ slug: 'b', preview: false });
    expect(byName.get('articles')?.args).toMatchObject({ first: 7 });
    // related(first: Int = 3, anyLocale: Boolean = false): the schema's defaults.
    expect(byName.get('related')?.args).toEqual({ first: 3, anyLocale: false });
    expect(byName.get('related')?.isList).toBe(true);
    expect(byName.get('authors')?.isList).toBe(true);
    expect(byName.get('readingTime')?.isList).toBe(false);
    expect(byName.get('article')?.isList).toBe(false);
  });

  it('honours @skip and @include on fields, inline fragments and spreads, with variable defaults', () => {
    const query = `query ($yes: Boolean = true, $no: Boolean = false) {
      a: tags { totalCount @include(if: $yes) }
      b: tags @skip(if: $yes) { totalCount }
      c: tags { ... on TagConnection @include(if: $no) { totalCount } }
      d: tags { ...Count @skip(if: $no) }
    }
    fragment Count on TagConnection { totalCount }`;
    expect(paths(walk(query))).toEqual([
      'Query.a',
      '  TagConnection.totalCount',
      'Query.c',
      'Query.d',
      '  TagConnection.totalCount',
    ]);
    expect(paths(walk(query, { yes: false, no: true }))).toEqual([
      'Query.a',
      'Query.b',
      '  TagConnection.totalCount',
      'Query.c',
      '  TagConnection.totalCount',
      'Query.d',
    ]);
  });

  it('reads the root level through fragments, one field per response key', () => {
    const result = walk(`mutation {
      ... on Mutation { a: recordView(input: { slug: "x" }) { counted } }
      ...Views
      ...Views
    }
    fragment Views on Mutation {
      b: recordView(input: { slug: "x" }) { counted }
      ... on Mutation { a: recordView(input: { slug: "x" }) { counted } }
    }`);
    expect(fieldsAtLevel(result.root).map(field => field.responseKey)).toEqual(['a', 'b']);
  });

  it('walks a named fragment once however often it is spread: visits grow with the document', () => {
    // Each fragment spreads the one before it twice: naive expansion walks 2^levels copies.
    const bomb = (levels: number) => {
      const fragments = [`fragment F0 on Article { title }`];
      for (let level = 1; level <= levels; level += 1) {
        fragments.push(`fragment F${level} on Article { ...F${level - 1} ...F${level - 1} }`);
      }
      return `{ article(slug: "a") { ...F${levels} } } ${fragments.join(' ')}`;
    };
    // The operation's 2 selections (article, its spread), 1 in F0, 2 in each further fragment.
    expect(walk(bomb(10)).visits).toBe(2 + 1 + 2 * 10);
    expect(walk(bomb(60)).visits).toBe(2 + 1 + 2 * 60);
    // The fold reuses a shared group's value, so it is linear too: 2^60 titles, counted, not listed.
    const titles = foldFields<number>(walk(bomb(60)).root, {
      field: (field, inner) => (field.name === 'title' ? 1 : 0) + (inner ?? 0),
      group: (_group, fields, fragments) =>
        [...fields, ...fragments].reduce((sum, count) => sum + count, 0),
    });
    expect(titles).toBe(2 ** 60);
  });

  it('leaves out a fragment where it would recur (validation refuses cycles; the walk is safe)', () => {
    const result = walk(`{ article(slug: "a") { ...A } }
      fragment A on Article { title ...B }
      fragment B on Article { slug ...A }`);
    expect(paths(result)).toEqual(['Query.article', '  Article.title', '  Article.slug']);
  });

  it('refuses variables that do not coerce as BAD_USER_INPUT', () => {
    expect(() =>
      walk('query ($n: Int!) { articles(first: $n) { totalCount } }', { n: 'x' }),
    ).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});
