import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { view } from './helpers/views';
import { createToken } from '../src/access/apiTokens';

interface ErrorBody {
  errors: { message: string; extensions: { code: string } }[];
}

describeEachDatabase('views export parameters and errors', dialect => {
  let gateway: TestGateway;
  let secret: string;

  beforeAll(async () => {
    gateway = await startTestGateway(dialect);
    await gateway.importFiles(articleSeries(3));
    secret = await createToken(gateway.db, 'export-job', ['analytics:read'], gateway.clock());
    gateway.clock.set('2026-11-23T08:00:00Z');
    await view(gateway, 'serie-000', 'leser-1');
    await view(gateway, 'serie-000', 'leser-2');
    await view(gateway, 'serie-001', 'leser-3');
    await view(gateway, 'serie-002', 'leser-4');
    await gateway.flushViews();
    gateway.clock.set('2026-11-29T12:00:00Z');
  });
  afterAll(() => gateway.close());

  const range = 'from=2026-11-23&to=2026-11-25&granularity=day';
  const exportViews = (query: string, init: RequestInit = {}) =>
    fetch(`${gateway.url}/exports/views?${query}`, {
      ...init,
      headers: { authorization: `Bearer ${secret}`, ...init.headers },
    });

  /** The status, code and Cache-Control of an error answer, which must be whole JSON. */
  async function refusal(response: Response) {
    const body = (await response.json()) as ErrorBody;
    expect(body.errors).toHaveLength(1);
    expect(typeof body.errors[0].message).toBe('string');
    return {
      status: response.status,
      code: body.errors[0].extensions.code,
      cacheControl: response.headers.get('cache-control'),
    };
  }

  const badInput = { status: 400, code: 'BAD_USER_INPUT', cacheControl: 'private, no-store' };

  it('exports only the named slugs', async () => {
    const response = await exportViews(`${range}&slugs=serie-000,serie-002`);
    expect(response.status).toBe(200);
    const rows = (await response.text()).trim().split('\n').slice(1);
    expect(rows.map(row => row.split(',')[1])).toEqual([
      'serie-000',
      'serie-000',
      'serie-002',
      'serie-002',
    ]);
    expect(rows.map(row => Number(row.split(',')[3]))).toEqual([2, 0, 1, 0]);
  });

  it('refuses a NUL in slugs with 400 before the first byte', async () => {
    const response = await exportViews(`${range}&slugs=serie-001,%00`);
    expect(await refusal(response)).toEqual(badInput);
  });

  it('refuses a NUL in any parameter', async () => {
    const response = await exportViews(`${range}&format=csv%00`);
    expect(await refusal(response)).toEqual(badInput);
  });

  it('refuses a slug that is not a slug', async () => {
    const response = await exportViews(`${range}&slugs=serie-001,Serie%20002`);
    expect(await refusal(response)).toEqual(badInput);
  });

  it('refuses repeated slugs= parameters instead of exporting every article', async () => {
    const response = await exportViews(`${range}&slugs=serie-001&slugs=serie-002`);
    expect(await refusal(response)).toEqual(badInput);
  });

  it('refuses slugs[x]= forms and unknown parameters', async () => {
    expect(await refusal(await exportViews(`${range}&slugs[x]=serie-001`))).toEqual(badInput);
    expect(await refusal(await exportViews(`${range}&slugs[]=serie-001`))).toEqual(badInput);
    expect(await refusal(await exportViews(`${range}&limit=5`))).toEqual(badInput);
  });

  it('answers errors in the GraphQL error shape, never cached', async () => {
    const none = await fetch(`${gateway.url}/exports/views?${range}`);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(await refusal(none)).toEqual({
      status: 401,
      code: 'UNAUTHENTICATED',
      cacheControl: 'private, no-store',
    });
    expect(await refusal(await exportViews(`${range}&format=xml`))).toEqual(badInput);
  });

  it('answers an unknown export path with a JSON 404', async () => {
    const response = await fetch(`${gateway.url}/exports/nothing-here`);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await refusal(response)).toEqual({
      status: 404,
      code: 'NOT_FOUND',
      cacheControl: 'private, no-store',
    });
  });

  it('answers another method on the views export with 405', async () => {
    const response = await exportViews(range, { method: 'POST' });
    expect(response.headers.get('allow')).toBe('GET, HEAD');
    expect(await refusal(response)).toEqual({
      status: 405,
      code: 'BAD_REQUEST',
      cacheControl: 'private, no-store',
    });
  });
});
