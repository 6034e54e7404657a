import fs from 'node:fs';
import path from 'node:path';
import { type DocumentNode, Kind, type OperationDefinitionNode, parse } from 'graphql';

/**
 * The folder of the README's example operations, one `<OperationName>.graphql` a file: the reads a
 * front end sends at the top (the explorer's tabs), the editorial writes in `editorial/`.
 */
export const queriesDir = path.join(__dirname, '../../docs/queries');

export interface ExampleOperation {
  /** The operation's name, which is also the file's name. */
  name: string;
  /** The path in docs/queries/, e.g. `ArticlePage.graphql` or `editorial/CreateArticle.graphql`. */
  file: string;
  source: string;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  /** The example variables of `<OperationName>.variables.json`, `{}` where there is none. */
  variables: Record<string, unknown>;
}

/** The `.graphql` files of docs/queries/ and of its folders, as paths in it: the top first. */
function operationFiles(): string[] {
  const entries = fs.readdirSync(queriesDir, { withFileTypes: true });
  const files = (dir: string) =>
    fs
      .readdirSync(path.join(queriesDir, dir))
      .filter(file => file.endsWith('.graphql'))
      .sort()
      .map(file => path.posix.join(dir, file));
  const folders = entries.filter(entry => entry.isDirectory()).map(entry => entry.name);
  return [...files(''), ...folders.sort().flatMap(files)];
}

/** Every example operation in docs/queries/ and its folders, by file name, the top first. */
export function readExampleOperations(): ExampleOperation[] {
  return operationFiles().map(file => {
    const source = fs.readFileSync(path.join(queriesDir, file), 'utf8');
    const document = parse(source);
    const operation = document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION,
    );
    if (!operation) throw new Error(`${file} holds no operation`);
    const name = path.basename(file, '.graphql');
    const variablesFile = path.join(queriesDir, path.dirname(file), `${name}.variables.json`);
    const variables = fs.existsSync(variablesFile)
      ? (JSON.parse(fs.readFileSync(variablesFile, 'utf8')) as Record<string, unknown>)
      : {};
    return { name, file, source, document, operation, variables };
  });
}
