import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { type GraphQLResponse, startTestGateway, type TestGateway } from './helpers/testGateway';
import { view } from './helpers/views';
import { createToken } from '../src/access/apiTokens';
import * as writes from '../src/db/writeTransaction';

describeEachDatabase('writers in one process', dialect => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(articleSeries(5));
  });
  afterAll(() => gateway.close());

  it('imports content while the view flusher writes, losing neither', async () => {
    let counted = 0;
    const viewsAndFlushes = async () => {
      for (let round = 0; round < 10; round += 1) {
        if (await view(gateway, 'serie-001', `leser-${round}`)) counted += 1;
        await gateway.flushViews();
      }
    };
    const files = articleSeries(40).slice(5);
    await Promise.all([gateway.importFiles(files), viewsAndFlushes(), viewsAndFlushes()]);
    await gateway.flushViews();
    const [articles] = await gateway.db.query('SELECT COUNT(*) AS total FROM article');
    const [views] = await gateway.db.query(
      'SELECT SUM(views) AS total FROM (SELECT views FROM article_view_hour UNION ALL SELECT views FROM article_view_recent) v',
    );
    expect(Number(articles.total)).toBe(40);
    expect(counted).toBe(10);
    expect(Number(views.total)).toBe(counted);
  });

  it("keeps a token's last-used time written while another write transaction rolls back", async () => {
    // The module's own function: the spy below wraps the export other modules call.
    const writeTransaction = writes.writeTransaction;
    const secret = await createToken(
      gateway.db,
      'letzte-nutzung',
      ['analytics:read'],
      gateway.clock(),
    );
    let answered: Promise<GraphQLResponse> | undefined;
    const rolledBack = writeTransaction(gateway.db, async manager => {
      await manager.query("UPDATE article SET title = 'nie gespeichert'");
      // The token's write queues behind this transaction (through writeTransaction), or, written
      // beside it, runs inside it on SQLite's one connection and lets the request answer first.
      const queued = new Promise<void>(resolve => {
        jest.spyOn(writes, 'writeTransaction').mockImplementation((db, fn) => {
          resolve();
          return writeTransaction(db, fn);
        });
      });
      answered = gateway.gql('{ __typename }', undefined, { authorization: `Bearer ${secret}` });
      await Promise.race([answered, queued]);
      throw new Error('rolled back on purpose');
    });
    try {
      await expect(rolledBack).rejects.toThrow('rolled back on purpose');
      expect((await answered!).status).toBe(200);
    } finally {
      jest.restoreAllMocks();
    }
    const [token] = await gateway.db.query(
      "SELECT last_used_at FROM api_token WHERE name = 'letzte-nutzung'",
    );
    expect(Number(token.last_used_at)).toBe(gateway.clock().getTime());
    const [kept] = await gateway.db.query(
      "SELECT COUNT(*) AS total FROM article WHERE title = 'nie gespeichert'",
    );
    expect(Number(kept.total)).toBe(0);
  });
});
