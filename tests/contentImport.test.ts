import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBuiltCommand, useBuiltGateway } from './helpers/builtGateway';
import { createTestDatabase, describeEachDatabase } from './helpers/databases';
import { articleFile } from './helpers/fixtures';
import type { Json } from './helpers/Json';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { contentImportCommand } from '../src/cli/contentImport';
import { parseContentFile } from '../src/content/import/contentImport';
import { parseInstant } from '../src/content/import/parseInstant';

describeEachDatabase('content import', dialect => {
  let gateway: TestGateway;
  let dir: string;

  /** Runs the command as `npm run content:import` would, against the test gateway's database. */
  async function runImport(...targets: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const env = {
      MEDIA_DIR: path.join(dir, 'media'),
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
    fs.mkdirSync(path.join(dir, 'media'));
    fs.writeFileSync(path.join(dir, 'media/da.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
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
      out: 'Read 4 files: 4 imported. articles: 2 created, 0 updated; authors: 2 created, 0 updated; tags: 2 created, 0 updated.',
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
      'Read 1 file: 1 imported. articles: 0 created, 1 updated; authors: 0 created, 0 updated; tags: 0 created, 0 updated.',
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
    // js-yaml sees the end of the block inside the open quote: the closing --- on line 4.
    expect(result.err).toContain(
      `${broken}:4: front matter: unexpected end of the stream within a double quoted scalar`,
    );
    expect(result.out).toMatch(
      /^Read 3 files: 1 imported, 2 not imported \(nothing of them written\); 2 errors\. /,
    );
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
    expect(result.err).toContain(`${undated}:3: date: a published article needs a date`);
  });

  it('refuses impossible dates with the field and line, written plain or quoted, and writes nothing of them', async () => {
    const cases = {
      'month-13.md': [
        'date: 2026-13-45',
        'date: 2026-13-45: there is no month 13 (expected 1 to 12)',
      ],
      'feb-30.md': [
        'date: 2026-02-30',
        'date: 2026-02-30: February 2026 has no day 30 (it has 28 days)',
      ],
      'hour-25.md': [
        'date: 2026-03-01T25:00:00Z',
        'date: 2026-03-01T25:00:00Z: there is no hour 25 (expected 0 to 23)',
      ],
      'offset.md': [
        'date: "2026-03-01T10:00:00+25:00"',
        "date: 2026-03-01T10:00:00+25:00: the offset +25:00 is no time zone's (expected -12:00 to +14:00)",
      ],
      'updated.md': [
        'date: 2026-03-01T10:00:00Z\nupdated: 2026-04-31',
        'updated: 2026-04-31: April 2026 has no day 31 (it has 30 days)',
      ],
    };
    const before = await countOf('article');
    const files = Object.entries(cases).map(([name, [line]]) =>
      write(
        name,
        `---\ntitle: "Datum"\nslug: ${name.replace('.md', '')}\n${line}\nstatus: published\n---\n\nText.\n`,
      ),
    );
    const result = await runImport(...files);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toEqual(
      Object.values(cases).map(([line, message], index) => {
        const at = line.includes('updated') ? 5 : 4;
        return `${files[index]}:${at}: ${message}`;
      }),
    );
    expect(await countOf('article')).toBe(before);
  });

  it('reports every error of a file at once, each on its line, and still imports the other files', async () => {
    const many = write(
      'viele-fehler.md',
      [
        '---',
        'title: "Viele Fehler"',
        'slug: Viele_Fehler',
        'date: 2026-13-45',
        'status: published',
        'locale: deutsch',
        'imagealt: "Ein Bild"',
        'tags:',
        '  - arbeit',
        '  - 42',
        'featured: ja',
        '---',
        '',
      ].join('\n'),
    );
    const good = articleFile({ slug: 'nebenan' });
    const goodFile = write(good.name, good.text);
    const result = await runImport(many, goodFile);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toEqual([
      `${many}:3: slug: expected lower-case letters, digits and single hyphens`,
      `${many}:4: date: 2026-13-45: there is no month 13 (expected 1 to 12)`,
      `${many}:6: locale: expected a BCP 47 tag such as de or en-GB`,
      `${many}:7: imagealt: unknown field (did you mean imageAlt?)`,
      `${many}:10: tags (item 2): Expected string, received number`,
      `${many}:11: featured: Expected boolean, received string`,
      `${many}:13: the article has no body`,
    ]);
    expect(result.out).toMatch(
      /^Read 2 files: 1 imported, 1 not imported \(nothing of them written\); 7 errors\. articles: 1 created/,
    );
    expect((await gateway.gql(`{ article(slug: "nebenan") { slug } }`)).body.data).toEqual({
      article: { slug: 'nebenan' },
    });
  });

  it('names one line and the reason for a YAML error, with nothing after a colon', async () => {
    const file = write(
      'einrueckung.md',
      '---\ntitle: "Eingerückt"\n  slug: eingerueckt\nstatus: draft\n---\n\nText.\n',
    );
    const unclosed = write('offen.md', '---\ntitle: "Offen"\n\nText ohne Ende.\n');
    const result = await runImport(file, unclosed);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toEqual([
      `${file}:3: front matter: bad indentation of a mapping entry`,
      `${unclosed}:1: front matter: the --- on line 1 is never closed by a --- line`,
    ]);
  });

  it('warns about local /media/ images that are not in the media folder and imports the file', async () => {
    const file = write(
      'bilder.md',
      [
        '---',
        'title: "Bilder"',
        'slug: bilder',
        'date: 2026-03-01T10:00:00+01:00',
        'status: published',
        'image: /media/fehlt.svg',
        '---',
        '',
        'Ein Absatz mit ![da](/media/da.svg) einem Bild, das es gibt,',
        'und einem, das fehlt: ![weg](/media/weg.png "Titel").',
        '',
        '![extern](https://example.com/media/x.png)',
        '',
        '![auch weg][ref]',
        '',
        '[ref]: /media/auch%20weg.jpg',
        '',
      ].join('\n'),
    );
    const media = path.join(dir, 'media');
    const result = await runImport(file);
    expect(result.code).toBe(0);
    expect(result.err.split('\n')).toEqual([
      `${file}:6: warning: image: /media/fehlt.svg is not in the media folder ${media}`,
      `${file}:10: warning: image /media/weg.png is not in the media folder ${media}`,
      `${file}:14: warning: image /media/auch%20weg.jpg is not in the media folder ${media}`,
    ]);
    expect(result.out).toMatch(/^Read 1 file: 1 imported; 3 warnings\. articles: 1 created/);
    const { body } = await gateway.gql<Json>(`{ article(slug: "bilder") { publishedAt } }`);
    expect(body.data?.article).toEqual({ publishedAt: '2026-03-01T09:00:00.000Z' });
  });

  it('lists errors before warnings and exits 1 when any file has an error', async () => {
    const warned = write(
      'warnung.md',
      '---\ntitle: "Warnung"\nslug: warnung\nstatus: draft\nimage: /media/nicht-da.svg\n---\n\nText.\n',
    );
    const bad = write('fehler.md', '---\ntitle: "Fehler"\nstatus: published\n---\n\nText.\n');
    const result = await runImport(warned, bad);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toEqual([
      `${bad}:3: date: a published article needs a date`,
      `${warned}:5: warning: image: /media/nicht-da.svg is not in the media folder ${path.join(dir, 'media')}`,
    ]);
    expect(result.out).toMatch(/; 1 error, 1 warning\. /);
  });
});

describe('front-matter dates', () => {
  it.each([
    ['2026-09-14', '2026-09-14T00:00:00.000Z'],
    ['2026-09-14T07:30:00Z', '2026-09-14T07:30:00.000Z'],
    ['2026-09-14 07:30', '2026-09-14T07:30:00.000Z'],
    ['2026-09-14t07:30:00.25+02:00', '2026-09-14T05:30:00.250Z'],
    ['2026-09-14T07:30:00 -0530', '2026-09-14T13:00:00.000Z'],
    ['2028-02-29T23:59:59+14:00', '2028-02-29T09:59:59.000Z'],
  ])('reads %s as %s', (text, iso) => {
    const result = parseInstant(text);
    expect(result.ok && result.value.toISOString()).toBe(iso);
  });

  it.each([
    ['2026-13-45', 'there is no month 13'],
    ['2026-00-10', 'there is no month 0'],
    ['2026-02-29', 'February 2026 has no day 29 (it has 28 days)'],
    ['2026-06-00', 'June 2026 has no day 0'],
    ['2026-01-01T24:00:00Z', 'there is no hour 24'],
    ['2026-01-01T10:60:00Z', 'there is no minute 60'],
    ['2026-01-01T10:00:60Z', 'there is no second 60'],
    ['2026-01-01T10:00:00-13:00', 'the offset -13:00 is no time zone'],
    ['2026-01-01T10:00:00+01:75', 'the offset +01:75 has no minute 75'],
    ['gestern', 'expected a date such as 2026-09-14 or 2026-09-14T07:30:00Z, got "gestern"'],
  ])('refuses %s', (text, reason) => {
    const result = parseInstant(text);
    expect(result.ok ? 'accepted' : result.reason).toContain(reason);
  });

  it('reads an unquoted YAML date from the text as written, not from the Date js-yaml rolled over', () => {
    const parsed = parseContentFile({
      name: 'x.md',
      text: '---\ntitle: "X"\ndate: 2026-13-45   # a comment\nstatus: draft\n---\n\nText.\n',
    });
    expect(parsed).toEqual({
      file: 'x.md',
      errors: [
        {
          file: 'x.md',
          line: 3,
          message: 'date: 2026-13-45: there is no month 13 (expected 1 to 12)',
        },
      ],
      warnings: [],
    });
  });
});

describe('the built content:import command', () => {
  const { build } = useBuiltGateway();

  it('prints each problem as file:line: message, a summary, and exits 1 on an error', async () => {
    const database = await createTestDatabase('sqlite');
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'content-import-cli-'));
    try {
      fs.writeFileSync(
        path.join(folder, 'a.md'),
        '---\ntitle: "A"\nslug: a\ndate: 2026-02-30\nstatus: published\nimage: /media/a.svg\n---\n\nText.\n',
      );
      fs.writeFileSync(path.join(folder, 'b.md'), articleFile({ slug: 'b' }).text);
      const env = { ...database.env, MEDIA_DIR: folder };
      const run = runBuiltCommand(build(), 'contentImport', [folder], env);
      expect({ status: run.status, stderr: run.stderr, stdout: run.stdout }).toEqual({
        status: 1,
        stderr: `${path.join(folder, 'a.md')}:4: date: 2026-02-30: February 2026 has no day 30 (it has 28 days)\n${path.join(folder, 'a.md')}:6: warning: image: /media/a.svg is not in the media folder ${folder}\n`,
        stdout:
          'Read 2 files: 1 imported, 1 not imported (nothing of them written); 1 error, 1 warning. articles: 1 created, 0 updated; authors: 0 created, 0 updated; tags: 0 created, 0 updated.\n',
      });
      const again = runBuiltCommand(build(), 'contentImport', [path.join(folder, 'b.md')], env);
      expect({ status: again.status, stderr: again.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
      await database.drop();
    }
  }, 60_000);
});
