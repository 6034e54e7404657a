import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { buildGatewaySchema } from '../schema/buildGatewaySchema';

/** npm run schema:emit: prints the gateway's schema to src/schema/schema.graphql. */
async function main(): Promise<void> {
  const schema = await buildGatewaySchema();
  const target = path.resolve('src/schema/schema.graphql');
  fs.writeFileSync(target, `${printSchema(schema)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), target)}`);
}

void main();
