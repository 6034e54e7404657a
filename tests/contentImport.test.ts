import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEachDatabase } from './helpers/databases';
import { articleFile } from './helpers/fixtures';
import type { Json } from './helpers/Json';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { contentImportCommand } from '../src/cli/contentImport';

describeEachDatabase('content import', dialect => {
  let gateway: TestGateway;
  let dir: string;

  /** Runs the command as `npm run content:import` would, against the test gateway's database. */
  async function runImport(...targets: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      DATABASE_URL: gateway.config.database.url,
      ...(gateway.config.database.type === 'postgres'
        ? { DATABASE_SCHEMA: gateway.config.database.schema }
        : {}),
    };
    const code = await contentImportCommand(targets, env, {
      out: line => out.push(line),
      err: line => err.push(line),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  function write(name: string, text: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  }

  async function countOf(table: string): Promise<number> {
    const [row] = await gateway.db.query(`SELECT COUNT(*) AS total FROM ${table}`);
    return Number(row.total);
  }

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'content-import-'));
  });
  afterAll(async () => {
    await gateway.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports a folder of articles, authors and tags and reports what it did', async () => {
    fs.mkdirSync(path.join(dir, 'site/authors'), { recursive: true });
    write(
      'site/authors/eva.md',
      '---\ntype: author\nslug: eva-maier\nname: "Eva Maier"\n---\nSchreibt über Arbeit.\n',
    );
    write(
      'site/tags.md',
      '---\ntype: tag\nslug: arbeit\nname: "Arbeit"\n---\nAlles über Arbeit.\n',
    );
    const one = articleFile({
      slug: 'eins',
      authors: ['eva-maier', 'Neuer Autor'],
      tags: ['arbeit', 'neu'],
    });
    write(`site/${one.name}`, one.text);
    const two = articleFile({ slug: 'zwei', authors: ['eva-maier'] });
    write(`site/${two.name}`, two.text);

    const result = await runImport(path.join(dir, 'site'));
    expect(result).toEqual({
      code: 0,
      out: 'Read 4 files. articles: 2 created, 0 updated; authors: 2 created, 0 updated; tags: 2 created, 0 updated.',
      err: '',
    });
    const { body } = await gateway.gql<Json>(
      `{ article(slug: "eins") { authors { slug name bio } tags { slug name } } }`,
    );
    expect(body.data?.article).toEqual({
      authors: [
        { slug: 'eva-maier', name: 'Eva Maier', bio: 'Schreibt über Arbeit.' },
        { slug: 'neuer-autor', name: 'Neuer Autor', bio: null },
      ],
      tags: [
        { slug: 'arbeit', name: 'Arbeit' },
        { slug: 'neu', name: 'Neu' },
      ],
    });
  });

  it('updates on re-import by slug and never duplicates', async () => {
    const changed = articleFile({
      slug: 'eins',
      title: 'Eins, neu',
      authors: ['eva-maier'],
      tags: ['arbeit'],
    });
    write('eins-neu.md', changed.text);
    const before = { articles: await countOf('article'), links: await countOf('article_author') };
    const result = await runImport(path.join(dir, 'eins-neu.md'));
    expect(result.out).toBe(
      'Read 1 files. articles: 0 created, 1 updated; authors: 0 created, 0 updated; tags: 0 created, 0 updated.',
    );
    expect(await countOf('article')).toBe(before.articles);
    expect(await countOf('article_author')).toBe(before.links - 1);
    const { body } = await gateway.gql<Json>(
      `{ articles(filter: { search: "neu" }) { edges { node { slug title authors { slug } } } } }`,
    );
    expect(body.data?.articles.edges).toEqual([
      { node: { slug: 'eins', title: 'Eins, neu', authors: [{ slug: 'eva-maier' }] } },
    ]);
  });

  it('reports a bad file by name and line, writes nothing of it, and exits non-zero', async () => {
    const before = await countOf('article');
    const bad = write(
      'kaputt.md',
      '---\ntitle: "Kaputt"\nslug: kaputt\ndate: gestern\nstatus: published\n---\n\nText.\n',
    );
    const broken = write('yaml.md', '---\ntitle: "offen\nslug: [\n---\n\nText.\n');
    const good = articleFile({ slug: 'gut' });
    const goodFile = write(good.name, good.text);
    const result = await runImport(bad, broken, goodFile);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${bad}:4: date:`);
    expect(result.err).toMatch(
      new RegExp(
        `${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: front matter is not valid YAML`,
      ),
    );
    expect(result.err).toContain('2 file(s) not imported; nothing of them was written.');
    expect(await countOf('article')).toBe(before + 1);
    expect((await gateway.gql(`{ article(slug: "kaputt") { slug } }`)).body.data).toEqual({
      article: null,
    });
  });

  it('refuses a slug used twice in one import and a published article without a date', async () => {
    const a = write('a.md', articleFile({ slug: 'doppelt' }).text);
    const b = write('b.md', articleFile({ slug: 'doppelt' }).text);
    const undated = write('c.md', '---\ntitle: "Ohne Datum"\nstatus: published\n---\n\nText.\n');
    const result = await runImport(a, b, undated);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`${b}:3: slug: doppelt is already used by ${a}`);
    expect(result.err).toContain(`${undated}: date: a published article needs a date`);
  });
});
