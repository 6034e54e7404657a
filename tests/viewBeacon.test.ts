import { describeEachDatabase } from './helpers/databases';
import { articleFile, articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent, view } from './helpers/views';

interface BeaconAnswer {
  status: number;
  headers: Headers;
  body: {
    counted?: boolean;
    reason?: string | null;
    errors?: { message: string; extensions: { code: string } }[];
  };
}

describeEachDatabase('POST /views (view beacon)', dialect => {
  let gateway: TestGateway;

  beforeEach(async () => {
    gateway = await startTestGateway(dialect, {
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_VIEWS_PER_IP: '6' },
    });
    await gateway.importFiles([
      ...articleSeries(3),
      articleFile({ slug: 'entwurf', status: 'draft', date: null }),
    ]);
  });
  afterEach(() => gateway.close());

  // What navigator.sendBeacon(url, JSON.stringify(...)) sends: text/plain, no preflight.
  async function beacon(body: string, headers: Record<string, string> = {}): Promise<BeaconAnswer> {
    const response = await fetch(`${gateway.url}/views`, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain;charset=UTF-8',
        'user-agent': browserAgent,
        ...headers,
      },
      body,
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as BeaconAnswer['body'],
    };
  }

  async function viewCount(slug: string): Promise<number> {
    await gateway.flushViews();
    gateway.clock.advance(2000);
    const { body } = await gateway.gql<{ article: { viewCount: number } }>(
      'query ($slug: String!) { article(slug: $slug) { viewCount } }',
      { slug },
    );
    return body.data!.article.viewCount;
  }

  it('counts a view sent as text/plain or JSON, with the guard of recordView', async () => {
    const first = await beacon(JSON.stringify({ slug: 'serie-001', visitorId: 'leser-1' }));
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ counted: true, reason: null });
    expect(first.headers.get('cache-control')).toBe('no-store');
    const again = await beacon(JSON.stringify({ slug: 'serie-001', visitorId: 'leser-1' }), {
      'content-type': 'application/json',
    });
    expect(again.body).toEqual({ counted: false, reason: 'REPEAT' });
    const bot = await beacon(JSON.stringify({ slug: 'serie-001', visitorId: 'leser-2' }), {
      'user-agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    expect(bot.body).toEqual({ counted: false, reason: 'BOT' });
    const draft = await beacon(JSON.stringify({ slug: 'entwurf', visitorId: 'leser-1' }));
    expect(draft.body).toEqual({ counted: false, reason: 'UNPUBLISHED' });
    expect(await viewCount('serie-001')).toBe(1);
  });

  it('shares the dedupe period with the recordView mutation', async () => {
    expect(await view(gateway, 'serie-002', 'leser-3')).toBe(true);
    const answer = await beacon(JSON.stringify({ slug: 'serie-002', visitorId: 'leser-3' }));
    expect(answer.body).toEqual({ counted: false, reason: 'REPEAT' });
    expect(await viewCount('serie-002')).toBe(1);
  });

  it('refuses bad bodies with a GraphQL-shaped error and a stable code, counting nothing', async () => {
    const cases: [string, Record<string, string>, number, string, RegExp][] = [
      ['not json', {}, 400, 'BAD_USER_INPUT', /not JSON/],
      ['[1, 2]', {}, 400, 'BAD_USER_INPUT', /JSON object.*an array/],
      ['{"slug": 5}', {}, 400, 'BAD_USER_INPUT', /slug must be a string, got number/],
      ['{"slug": "serie-001", "extra": 1}', {}, 400, 'BAD_USER_INPUT', /Unknown field "extra"/],
      ['{}', {}, 400, 'BAD_USER_INPUT', /exactly one of input.slug or input.articleId/],
      ['{"slug": "a\\u0000b"}', {}, 400, 'BAD_USER_INPUT', /NUL/],
      ['{"slug": "gibt-es-nicht"}', {}, 404, 'NOT_FOUND', /No article with slug/],
      [
        '{"slug": "serie-001"}',
        { 'content-type': 'application/x-www-form-urlencoded' },
        415,
        'BAD_REQUEST',
        /application\/json or text\/plain/,
      ],
    ];
    for (const [body, headers, status, code, message] of cases) {
      const answer = await beacon(body, headers);
      expect({
        body,
        status: answer.status,
        code: answer.body.errors?.[0].extensions.code,
      }).toEqual({ body, status, code });
      expect(answer.body.errors?.[0].message).toMatch(message);
      expect(JSON.stringify(answer.body)).not.toMatch(/\n\s+at |stack/);
    }
    const tooLarge = await beacon(
      JSON.stringify({ slug: 'serie-001', visitorId: 'x'.repeat(6200) }),
    );
    expect(tooLarge.status).toBe(413);
    expect(await viewCount('serie-001')).toBe(0);
  });

  it('limits views per IP address in the same bucket as the mutation, with Retry-After', async () => {
    // The limit is 6 views a window for this address: 3 mutations and 3 beacons use it up.
    for (let i = 0; i < 3; i += 1) {
      expect(await view(gateway, 'serie-001', `m-${i}`)).toBe(true);
      expect(
        (await beacon(JSON.stringify({ slug: 'serie-001', visitorId: `b-${i}` }))).status,
      ).toBe(200);
    }
    const refused = await beacon(JSON.stringify({ slug: 'serie-001', visitorId: 'b-9' }));
    expect(refused.status).toBe(429);
    expect(refused.body.errors?.[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await viewCount('serie-001')).toBe(6);
  });

  it('answers only POST /views itself: other methods and paths are express routes', async () => {
    const counted = await fetch(`${gateway.url}/views?source=sidebar`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'user-agent': browserAgent },
      body: JSON.stringify({ slug: 'serie-002', visitorId: 'q-1' }),
    });
    expect(((await counted.json()) as BeaconAnswer['body']).counted).toBe(true);
    expect((await fetch(`${gateway.url}/views`)).status).toBe(404);
    expect((await fetch(`${gateway.url}/viewsx`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('reads the client address as express does: X-Forwarded-For only from a trusted proxy', async () => {
    // Untrusted (the default): a forged header does not open a new bucket.
    for (let i = 0; i < 6; i += 1) {
      const answer = await beacon(JSON.stringify({ slug: 'serie-001', visitorId: `u-${i}` }), {
        'x-forwarded-for': `203.0.113.${i}`,
      });
      expect(answer.status).toBe(200);
    }
    const forged = await beacon(JSON.stringify({ slug: 'serie-001', visitorId: 'u-9' }), {
      'x-forwarded-for': '203.0.113.99',
    });
    expect(forged.status).toBe(429);

    // Behind one trusted proxy, each forwarded address has its own bucket.
    const proxied = await startTestGateway(dialect, {
      env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_VIEWS_PER_IP: '2', TRUST_PROXY: '1' },
    });
    try {
      await proxied.importFiles(articleSeries(1));
      const send = (ip: string, visitor: string) =>
        fetch(`${proxied.url}/views`, {
          method: 'POST',
          headers: {
            'content-type': 'text/plain',
            'user-agent': browserAgent,
            'x-forwarded-for': ip,
          },
          body: JSON.stringify({ slug: 'serie-000', visitorId: visitor }),
        }).then(response => response.status);
      expect(await send('198.51.100.1', 'a')).toBe(200);
      expect(await send('198.51.100.1', 'b')).toBe(200);
      expect(await send('198.51.100.1', 'c')).toBe(429);
      expect(await send('198.51.100.2', 'd')).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
