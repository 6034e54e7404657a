import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * GraphQL Code Generator for a client of the gateway: `npx graphql-codegen` writes the result and
 * variables types of every operation in docs/queries/ (the reads at the top, the editorial writes
 * in docs/queries/editorial/) to generated/graphql.ts. In a client's own repository point `schema`
 * at the running gateway instead ('http://localhost:4000/graphql'; it needs introspection, on by
 * default outside production) and `documents` at the client's own operations. typescript-operations
 * 6 emits the input and enum types the operations use by itself, so the `typescript` plugin (every
 * type of the schema) is not needed.
 */
export const config: CodegenConfig = {
  schema: 'src/schema/schema.graphql',
  documents: 'docs/queries/**/*.graphql',
  generates: {
    'generated/graphql.ts': {
      plugins: ['typescript-operations'],
      config: {
        // DateTime is an RFC 3339 string at UTC on the wire (src/schema/DateTimeScalar.ts); without
        // the mapping it comes out as `unknown`. strictScalars fails the run for a custom scalar
        // that a later schema adds and this list does not map yet.
        scalars: { DateTime: 'string' },
        strictScalars: true,
      },
    },
  },
};

// The codegen CLI reads the config file's default export.
export default config;
