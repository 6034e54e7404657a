import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';
import ts from 'typescript';
import { config } from '../codegen';
import { readExampleOperations } from './helpers/exampleOperations';

type OutputConfig = { plugins: string[]; config?: Record<string, unknown> };

// `generate` of @graphql-codegen/cli, in a child process: the CLI's yargs is an ES module, which
// Node requires but Jest's module loader cannot.
const generateScript = `
  const { generate } = require('@graphql-codegen/cli');
  generate(JSON.parse(process.argv[1]), true).then(
    () => process.exit(0),
    error => { console.error(error.message); process.exit(1); },
  );
`;

/** Runs codegen.ts's config (output to a temp dir, else as changed) and returns the text. */
function generateWith(change: (output: OutputConfig) => OutputConfig = output => output) {
  const [[, output]] = Object.entries(config.generates) as [string, OutputConfig][];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-gateway-codegen-'));
  const target = path.join(dir, 'graphql.ts');
  const run: CodegenConfig = { ...config, silent: true, generates: { [target]: change(output) } };
  const result = spawnSync(process.execPath, ['-e', generateScript, JSON.stringify(run)], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`codegen failed: ${result.stderr}`);
  return { dir, target, content: fs.readFileSync(target, 'utf8') };
}

/** Type-checks files in strict mode; the diagnostics' messages, empty where all is well. */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    types: [],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map(diagnostic => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
}

// A client's use of the generated types: DateTime fields and variables must be exactly string
// (`unknown` fails the assignment, `any` fails the equality check).
const usage = `
import type { ArticlePageQuery, MostReadSidebarQuery, ViewStatsQueryVariables } from './graphql';
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type Article = NonNullable<ArticlePageQuery['article']>;
export const publishedAt: Equal<Article['publishedAt'], string | null> = true;
export const computedAt: Equal<MostReadSidebarQuery['mostRead']['computedAt'], string> = true;
export const from: Equal<ViewStatsQueryVariables['from'], string> = true;
export function date(article: Article): Date | null {
  return article.publishedAt === null ? null : new Date(article.publishedAt);
}
`;

describe('codegen.ts (GraphQL Code Generator)', () => {
  it('types every example operation, its result and its variables', () => {
    const { content } = generateWith();
    const examples = readExampleOperations();
    expect(examples.length).toBeGreaterThan(0);
    for (const { name, operation } of examples) {
      const suffix = operation.operation === 'mutation' ? 'Mutation' : 'Query';
      expect(content).toContain(`export type ${name}${suffix} = `);
      expect(content).toContain(`export type ${name}${suffix}Variables = `);
    }
  });

  it('maps DateTime to string, which a strict TypeScript client compiles against', () => {
    const { dir, target } = generateWith();
    fs.writeFileSync(path.join(dir, 'usage.ts'), usage);
    expect(typeErrors([target, path.join(dir, 'usage.ts')])).toEqual([]);
  });

  it('fails that check without the scalar mapping (DateTime becomes unknown)', () => {
    const { dir, target, content } = generateWith(output => ({
      ...output,
      config: { ...output.config, scalars: {}, strictScalars: false },
    }));
    expect(content).toMatch(/publishedAt: unknown/);
    fs.writeFileSync(path.join(dir, 'usage.ts'), usage);
    expect(typeErrors([target, path.join(dir, 'usage.ts')]).length).toBeGreaterThan(0);
  });

  it('refuses to run when a custom scalar is not mapped (strictScalars)', () => {
    expect(() =>
      generateWith(output => ({ ...output, config: { ...output.config, scalars: {} } })),
    ).toThrow(/DateTime/);
  });
});
