import fs from 'node:fs';
import path from 'node:path';
import { settingNames } from '../src/config';

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
});
