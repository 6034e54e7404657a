import fs from 'node:fs';
import path from 'node:path';
import {
  type DocumentNode,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { createToken } from '../src/access/apiTokens';
import { loadConfig, settingNames } from '../src/config';
import { readExampleOperations } from './helpers/exampleOperations';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { checkOperation } from '../src/plugins/queryLimits';
import { buildGatewaySchema } from '../src/schema/buildGatewaySchema';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const envExample = fs.readFileSync(path.join(root, '.env.example'), 'utf8');

/** Every GraphQL operation the README shows: its graphql blocks and the queries its curl lines send. */
function readmeOperations(): { text: string; operation: OperationDefinitionNode }[] {
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map(match => match[1]);
  const inCurl = [...readme.matchAll(/"query":\s*"((?:[^"\\]|\\.)*)"/g)].map(
    match => JSON.parse(`"${match[1]}"`) as string,
  );
  return [...blocks, ...inCurl].flatMap(text =>
    parse(text).definitions.map(definition => ({
      text,
      operation: definition as OperationDefinitionNode,
    })),
  );
}

interface NamedDocument {
  name: string;
  document: DocumentNode;
}

/** The selections of a type with an `id` that leave it out. */
function missingIds(schema: GraphQLSchema, example: NamedDocument): string[] {
  const typeInfo = new TypeInfo(schema);
  const missing: string[] = [];
  visit(
    example.document,
    visitWithTypeInfo(typeInfo, {
      SelectionSet(node) {
        const type = typeInfo.getParentType();
        if (!(isObjectType(type) || isInterfaceType(type)) || !type.getFields().id) return;
        const selectsId = node.selections.some(
          selection =>
            selection.kind === Kind.FIELD && selection.name.value === 'id' && !selection.alias,
        );
        if (!selectsId) missing.push(`${example.name}: ${type.name}`);
      },
    }),
  );
  return missing;
}

// Arguments and input fields a client fills in from its state (the page's slug, the cursor, the
// search box, the date range): they belong in variables, so one document serves every page.
const variableArguments = new Set([
  'slug',
  'id',
  'articleId',
  'after',
  'search',
  'input',
  'from',
  'to',
]);

function literalArguments(example: NamedDocument): string[] {
  const literals: string[] = [];
  const check = (node: { name: { value: string }; value: { kind: Kind } }) => {
    if (variableArguments.has(node.name.value) && node.value.kind !== Kind.VARIABLE)
      literals.push(`${example.name}: ${node.name.value}`);
  };
  visit(example.document, { Argument: check, ObjectField: check });
  return literals;
}

describe('the documentation', () => {
  it.each(settingNames)('lists %s in the README settings table and in .env.example', name => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it('names the two commands a new user needs', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});

describe('the example operations (docs/queries/)', () => {
  const examples = readExampleOperations();
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  it('holds one named operation a file, named as its file, with example variables as JSON', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    for (const example of examples) {
      expect(example.document.definitions).toHaveLength(1);
      expect(example.operation.name?.value).toBe(example.name);
    }
  });

  it('are the operations the README shows, the same text but for layout', () => {
    const shown = readmeOperations();
    for (const { text, operation } of shown) {
      // Anonymous operations break GraphQL Code Generator beside other documents.
      expect({ text, named: Boolean(operation.name) }).toEqual({ text, named: true });
    }
    const names = shown.map(({ operation }) => operation.name?.value);
    expect([...new Set(names)].sort()).toEqual(examples.map(example => example.name));
    for (const { operation } of shown) {
      const example = examples.find(candidate => candidate.name === operation.name?.value);
      expect(print(operation)).toBe(print(example!.operation));
    }
  });

  it('validate against the schema and fit the cost limit with room to spare', () => {
    const { limits } = loadConfig({});
    for (const example of examples) {
      expect({ name: example.name, errors: validate(schema, example.document) }).toEqual({
        name: example.name,
        errors: [],
      });
      const { cost } = checkOperation({
        schema,
        document: example.document,
        operation: example.operation,
        variables: example.variables,
        limits,
      });
      // A reader's page fits ten times over; the analytics job's 100 series a page four times.
      const share = example.name === 'ViewStats' ? 4 : 10;
      expect({ name: example.name, cost: cost <= limits.maxCost / share }).toEqual({
        name: example.name,
        cost: true,
      });
    }
  });

  // The README's operations as documents of their own, checked as the files are.
  const shown = (): NamedDocument[] =>
    readmeOperations().map(({ operation }) => ({
      name: `README ${operation.name?.value ?? operation.operation}`,
      document: { kind: Kind.DOCUMENT, definitions: [operation] },
    }));

  it('select id wherever the type has one, so a client cache can normalize them', () => {
    const all = [...examples, ...shown()];
    expect(all.flatMap(example => missingIds(schema, example))).toEqual([]);
  });

  it('take what a client fills in (slugs, cursors, search, input, dates) as variables', () => {
    expect([...examples, ...shown()].flatMap(literalArguments)).toEqual([]);
  });

  it('state the costs the README names for the page queries', () => {
    const { limits } = loadConfig({});
    const cost = (name: string) => {
      const example = examples.find(candidate => candidate.name === name)!;
      return checkOperation({ schema, ...example, limits }).cost;
    };
    expect(readme.replace(/\s+/g, ' ')).toContain(
      `The queries in this README cost ${cost('ArticlePage')} (the article page), ` +
        `${cost('ListingPage')} (the listing page) and ${cost('TagPage')} (the tag page)`,
    );
  });

  describe('run on the demo site [sqlite]', () => {
    let gateway: TestGateway;
    let token: string;
    beforeAll(async () => {
      gateway = await startTestGateway('sqlite', { env: { DEMO_CONTENT: 'true' } });
      token = await createToken(
        gateway.db,
        'docs-test',
        ['analytics:read', 'content:preview'],
        gateway.clock(),
      );
    }, 120_000);
    afterAll(() => gateway?.close());

    it.each(readExampleOperations().map(example => [example.name, example] as const))(
      '%s answers data without errors for its example variables',
      async (_name, example) => {
        const response = await gateway.gql(example.source, example.variables, {
          authorization: `Bearer ${token}`,
        });
        expect(response.body.errors).toBeUndefined();
        const data = response.body.data ?? {};
        for (const field of Object.keys(data))
          expect({ field, value: data[field] }).not.toEqual({ field, value: null });
        expect(Object.keys(data).length).toBeGreaterThan(0);
        const json = JSON.stringify(data);
        // A connection or ranking that comes back empty would make a poor example.
        expect(json).not.toMatch(/"edges":\[\]/);
      },
    );
  });
});
