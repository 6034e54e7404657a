import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, findBreakingChanges, printSchema } from 'graphql';
import { buildGatewaySchema } from '../src/schema/buildGatewaySchema';

const committedPath = path.join(__dirname, '../src/schema/schema.graphql');
const contractCopyPath = path.join(__dirname, 'contract/schema.graphql');
const sharedContractPath = path.join(__dirname, '../../shared/contract/schema.graphql');

describe('the public schema', () => {
  it('is committed as printed: run npm run schema:emit after changing resolvers or entities', async () => {
    const printed = `${printSchema(await buildGatewaySchema())}\n`;
    expect(fs.readFileSync(committedPath, 'utf8')).toBe(printed);
  });

  it('has no breaking change against the contract copy', async () => {
    const contract = buildSchema(fs.readFileSync(contractCopyPath, 'utf8'));
    const changes = findBreakingChanges(contract, await buildGatewaySchema());
    expect(changes.map(change => change.description)).toEqual([]);
  });

  it('keeps the contract copy equal to the shared contract where that is present', () => {
    if (!fs.existsSync(sharedContractPath)) {
      console.warn(
        'shared contract not found beside the project; only the copy in tests/ is checked',
      );
      return;
    }
    expect(fs.readFileSync(contractCopyPath, 'utf8')).toBe(
      fs.readFileSync(sharedContractPath, 'utf8'),
    );
  });
});
