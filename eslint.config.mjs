import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * The house rules of src/ (docs/architecture.md): arrows point down. Each zone names the files it
 * applies to (target) and what they must not import (from, minus except). A wrong arrow fails
 * `npm run check`.
 */
const everythingBut = (...allowed) => ({ from: './src', except: allowed });
const boundaries = [
  // The bottom rooms: used from anywhere, importing nothing above them.
  { target: './src/config.ts', ...everythingBut('./config.ts') },
  { target: './src/errors', ...everythingBut('./errors') },
  { target: './src/ops', ...everythingBut('./ops', './config.ts', './errors') },
  { target: './src/relay', ...everythingBut('./relay', './errors') },
  // Entities know only each other and the Relay plumbing (global ids, Node).
  { target: './src/entities', ...everythingBut('./entities', './relay') },
  // The database layer: entities, the config, the logger and the errors, and itself.
  {
    target: './src/db',
    ...everythingBut('./db', './entities', './config.ts', './ops/logger.ts', './errors'),
  },
  // The domains never see GraphQL's context, a resolver, a loader, a plugin or the HTTP layer.
  ...['access', 'content', 'views'].map(room => ({
    target: `./src/${room}`,
    from: [
      './src/context.ts',
      './src/resolvers',
      './src/loaders',
      './src/plugins',
      './src/http',
      './src/schema',
      './src/gateway.ts',
      './src/index.ts',
      './src/cli',
    ],
    message:
      'a domain imports only other domains and the rooms below it (db, entities, relay, ops, errors, config)',
  })),
  {
    target: './src/loaders',
    from: [
      './src/resolvers',
      './src/plugins',
      './src/http',
      './src/schema',
      './src/gateway.ts',
      './src/cli',
    ],
  },
  {
    target: './src/resolvers',
    from: ['./src/plugins', './src/http', './src/gateway.ts', './src/index.ts', './src/cli'],
  },
  {
    target: './src/schema',
    from: ['./src/plugins', './src/http', './src/gateway.ts', './src/cli'],
  },
  {
    target: './src/plugins',
    from: ['./src/http', './src/resolvers', './src/gateway.ts', './src/cli'],
  },
  { target: './src/http', from: ['./src/gateway.ts', './src/index.ts', './src/cli'] },
];

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', 'data/', 'bench/results/', 'bench/data/'] },
  // What `npm run codegen` (codegen.ts) writes.
  { ignores: ['generated/'] },
  js.configs.recommended,
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
  // The demo reader site: ES modules that run in the browser.
  {
    files: ['site/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  ...tseslint.configs.recommended,
  // The bench's peer (PostGraphile 4): plain CommonJS for Node, run from bench/peer/.
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly' },
      // Decorated files keep value imports: TypeGraphQL and TypeORM read their emitted metadata.
      parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.js', '.json', '.node'] }),
      ],
      // no-cycle follows each import into the file it names, parsed as TypeScript.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'import-x/order': [
        'error',
        {
          groups: ['builtin', 'external', ['internal', 'parent', 'sibling', 'index']],
          'newlines-between': 'never',
          alphabetize: { order: 'asc', caseInsensitive: true },
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      'import-x/no-cycle': 'error',
    },
  },
);
