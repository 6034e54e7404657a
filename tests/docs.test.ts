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
import {
  type ExampleOperation,
  queriesDir,
  readExampleOperations,
} from './helpers/exampleOperations';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent } from './helpers/views';
import { readExplorerTabs } from '../src/http/explorerTabs';
import { checkOperation } from '../src/plugins/queryLimits';
import { buildGatewaySchema } from '../src/schema/buildGatewaySchema';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const envExample = fs.readFileSync(path.join(root, '.env.example'), 'utf8');

/**
 * Every GraphQL operation the README shows, in its order: its graphql blocks and the queries its
 * curl lines send.
 */
function readmeOperations(): { text: string; operation: OperationDefinitionNode }[] {
  const shown = [
    ...readme.matchAll(/```graphql\n([\s\S]*?)```|"query":\s*"((?:[^"\\]|\\.)*)"/g),
  ].map(([, block, inCurl]) => block ?? (JSON.parse(`"${inCurl}"`) as string));
  return shown.flatMap(text =>
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

/** The examples in the order the README shows them; any it does not show last. */
function inReadmeOrder(examples: ExampleOperation[]): ExampleOperation[] {
  const order = readmeOperations().map(({ operation }) => operation.name?.value);
  const rank = (example: ExampleOperation) =>
    order.includes(example.name) ? order.indexOf(example.name) : order.length;
  return [...examples].sort((a, b) => rank(a) - rank(b));
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
    // One name once in all folders: GraphQL Code Generator names the types after it.
    const names = examples.map(example => example.name);
    expect(names).toEqual([...new Set(names)]);
  });

  it('open in the explorer as tabs, but for the editorial writes (docs/queries/editorial/)', async () => {
    // A write in a tab is one click from changing the site, needs a content:write token the
    // explorer does not send, and 16 more tabs would not fit GraphiQL's tab bar.
    const tabs = await readExplorerTabs(queriesDir);
    const tabNames = tabs.map(
      tab => (parse(tab.query).definitions[0] as OperationDefinitionNode).name?.value,
    );
    expect(tabNames).toEqual(
      examples.filter(example => !example.file.includes('/')).map(example => example.name),
    );
    // The one mutation a reader's page sends stays a tab; every other one is editorial.
    const mutationTabs = examples.filter(
      example =>
        example.operation.operation === 'mutation' && !example.file.startsWith('editorial/'),
    );
    expect(mutationTabs.map(example => example.name)).toEqual(['RecordView']);
  });

  it('are the operations the README shows, the same text but for layout', () => {
    const shown = readmeOperations();
    for (const { text, operation } of shown) {
      // Anonymous operations break GraphQL Code Generator beside other documents.
      expect({ text, named: Boolean(operation.name) }).toEqual({ text, named: true });
    }
    const names = shown.map(({ operation }) => operation.name?.value);
    expect([...new Set(names)].sort()).toEqual(examples.map(example => example.name).sort());
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
        ['analytics:read', 'content:preview', 'content:write'],
        gateway.clock(),
      );
    }, 120_000);
    afterAll(() => gateway?.close());

    // The answers so far, by operation name: a later example may take a value from one.
    const answers = new Map<string, Record<string, unknown>>();
    // What no file can hold: a preview link's token is signed with the site's own PREVIEW_SECRET
    // and expires, so ArticleByPreviewLink takes the one CreatePreviewLink answered, and sends no
    // token of its own, as the reviewer does (README "Preview").
    const fromEarlierAnswers: Record<string, () => Record<string, unknown>> = {
      ArticleByPreviewLink: () => {
        const link = answers.get('CreatePreviewLink') as { createPreviewLink: { token: string } };
        return { previewToken: link.createPreviewLink.token };
      },
    };
    const withoutToken = new Set(['ArticleByPreviewLink']);

    // One fresh demo site, the examples in the README's order (the writes each on a demo article
    // of its own; RestoreArticleRevision restores what UpdateArticle changed): what a reader who
    // pastes them one by one gets. Any the README does not show run last.
    it.each(
      inReadmeOrder(readExampleOperations()).map(example => [example.name, example] as const),
    )('%s answers data without errors for its example variables', async (name, example) => {
      const variables = { ...example.variables, ...fromEarlierAnswers[name]?.() };
      // Sent as from a browser (the explorer's tabs): RecordView counts, and ReadersNow after it
      // has that reader (Node's own "node" user agent is rightly a bot).
      const headers: Record<string, string> = withoutToken.has(name)
        ? { 'user-agent': browserAgent }
        : { authorization: `Bearer ${token}`, 'user-agent': browserAgent };
      const response = await gateway.gql(example.source, variables, headers);
      expect(response.body.errors).toBeUndefined();
      const data = response.body.data ?? {};
      answers.set(name, data);
      for (const field of Object.keys(data))
        expect({ field, value: data[field] }).not.toEqual({ field, value: null });
      expect(Object.keys(data).length).toBeGreaterThan(0);
      const json = JSON.stringify(data);
      // A connection or ranking that comes back empty would make a poor example.
      expect(json).not.toMatch(/"edges":\[\]/);
    });
  });
});
