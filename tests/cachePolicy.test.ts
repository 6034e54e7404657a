import { type GraphQLSchema, type OperationDefinitionNode, parse } from 'graphql';
import { cachePolicyOf } from '../src/plugins/cachePolicyPlugin';
import { buildGatewaySchema } from '../src/schema/buildGatewaySchema';

describe('cachePolicyOf', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  const policy = (query: string, variables: Record<string, unknown> = {}) => {
    const document = parse(query);
    const operation = document.definitions.find(
      definition => definition.kind === 'OperationDefinition',
    ) as OperationDefinitionNode;
    return cachePolicyOf(schema, document, operation, variables, 300);
  };

  it('gives content the content max-age and a ranking its window’s, with what it lists', () => {
    expect(policy('{ articles { edges { node { title } } } }')).toBe('max-age=300, public');
    expect(policy('{ mostRead(window: ALL_TIME) { edges { node { title } } } }')).toBe(
      'max-age=900, public',
    );
    expect(policy('{ mostRead { edges { node { title } } } }')).toBe('max-age=300, public');
  });

  it('takes the shortest max-age, reading windows from variables and fragments', () => {
    const query = `query ($w: ViewWindow) {
      mostRead(window: ALL_TIME) { edges { node { ...Card } } }
      tag(slug: "x") { name }
    }
    fragment Card on Article { title viewCount(window: $w) }`;
    expect(policy(query, { w: 'LAST_24_HOURS' })).toBe('max-age=60, public');
    expect(policy(query, { w: 'LAST_30_DAYS' })).toBe('max-age=300, public');
  });

  it('never lets a shared cache keep mutations or analytics', () => {
    expect(policy('mutation { recordView(input: { slug: "x" }) { counted } }')).toBe(
      'private, no-store',
    );
    expect(
      policy(
        '{ ... on Query { viewStats(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { totalCount } } }',
      ),
    ).toBe('private, no-store');
  });

  it('honours variable defaults and @skip, through inline and named fragments', () => {
    const query = `query ($w: ViewWindow = LAST_24_HOURS, $cards: Boolean = false) {
      ... on Query { articles { edges { node { ...Card } } } }
      mostRead(window: ALL_TIME) { edges { node { title } } }
    }
    fragment Card on Article { title viewCount(window: $w) @include(if: $cards) }`;
    expect(policy(query)).toBe('max-age=300, public');
    expect(policy(query, { cards: true })).toBe('max-age=60, public');
    expect(policy(query, { cards: true, w: 'ALL_TIME' })).toBe('max-age=300, public');
    expect(
      policy(
        'query ($w: ViewWindow = LAST_24_HOURS) { ...Ranking } fragment Ranking on Query { mostRead(window: $w) { edges { rank } } }',
      ),
    ).toBe('max-age=60, public');
  });

  it('keeps analytics private when asked for in a named fragment', () => {
    expect(
      policy(
        '{ tags { totalCount } ...Stats } fragment Stats on Query { viewStats(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { totalCount } }',
      ),
    ).toBe('private, no-store');
  });
});
