import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { view } from './helpers/views';

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
});
