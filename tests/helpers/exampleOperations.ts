import fs from 'node:fs';
import path from 'node:path';
import { type DocumentNode, Kind, type OperationDefinitionNode, parse } from 'graphql';

/** The folder of the README's example operations, one `<OperationName>.graphql` a file. */
export const queriesDir = path.join(__dirname, '../../docs/queries');

export interface ExampleOperation {
  /** The operation's name, which is also the file's name. */
  name: string;
  file: string;
  source: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The example variables of `<OperationName>.variables.json`, `{}` where there is none. */
  variables: Record<string, unknown>;
}

/** Every example operation in docs/queries/, by file name. */
export function readExampleOperations(): ExampleOperation[] {
  return fs
    .readdirSync(queriesDir)
    .filter(file => file.endsWith('.graphql'))
    .sort()
    .map(file => {
      const source = fs.readFileSync(path.join(queriesDir, file), 'utf8');
      const document = parse(source);
      const operation = document.definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION,
      );
      if (!operation) throw new Error(`${file} holds no operation`);
      const name = path.basename(file, '.graphql');
      const variablesFile = path.join(queriesDir, `${name}.variables.json`);
      const variables = fs.existsSync(variablesFile)
        ? (JSON.parse(fs.readFileSync(variablesFile, 'utf8')) as Record<string, unknown>)
        : {};
      return { name, file, source, document, operation, variables };
    });
}
