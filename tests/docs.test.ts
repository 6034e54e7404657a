import fs from 'node:fs';
import path from 'node:path';
import { type OperationDefinitionNode, parse, validate } from 'graphql';
import { loadConfig, settingNames } from '../src/config';
import { checkOperation } from '../src/plugins/queryLimits';
import { buildGatewaySchema } from '../src/schema/buildGatewaySchema';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const envExample = fs.readFileSync(path.join(root, '.env.example'), 'utf8');

describe('the documentation', () => {
  it.each(settingNames)('lists %s in the README settings table and in .env.example', name => {
    expect(readme).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm'));
    expect(envExample).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
  });

  it('names the two commands a new user needs', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });

  it('shows only GraphQL that is valid and fits the cost limit with room to spare', async () => {
    const schema = await buildGatewaySchema();
    const { limits } = loadConfig({});
    const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map(match => match[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const source of blocks) {
      const document = parse(source);
      expect(validate(schema, document)).toEqual([]);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const { cost } = checkOperation({ schema, document, operation, variables: {}, limits });
      expect(cost).toBeLessThanOrEqual(limits.maxCost / 10);
    }
  });
});
