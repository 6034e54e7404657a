import net from 'node:net';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';
import { browserAgent } from './helpers/views';

/** A client on a raw socket: what it has received, and when the server closed it. */
interface RawClient {
  socket: net.Socket;
  received(): string;
  closed: Promise<void>;
}

function connect(port: number): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    // A refused connection may end in a reset rather than a clean close.
    socket.on('error', () => undefined);
    const closed = new Promise<void>(done => socket.once('close', () => done()));
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

// Unref'd, so that a bound a test no longer waits for does not hold Jest at the end.
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms).unref());

/**
 * Sends the headers at once, then the body one byte per interval until the server closes the
 * socket or the body is complete. Resolves with the bytes of the body it sent.
 */
async function trickle(
  client: RawClient,
  head: string,
  body: string,
  intervalMs: number,
): Promise<number> {
  let open = true;
  void client.closed.then(() => {
    open = false;
  });
  client.socket.write(head);
  let sent = 0;
  while (open && sent < body.length) {
    await sleep(intervalMs);
    if (!open) break;
    client.socket.write(body[sent]);
    sent += 1;
  }
  await Promise.race([client.closed, sleep(2000)]);
  return sent;
}

const graphqlBody = JSON.stringify({ query: '{ tags { totalCount } }' }).padEnd(60, ' ');
const beaconBody = JSON.stringify({ slug: 'serie-000', visitorId: 'leser-1' }).padEnd(60, ' ');

describe('slow clients', () => {
  let gateway: TestGateway;
  let port: number;

  beforeAll(async () => {
    gateway = await startTestGateway('sqlite', {
      env: {
        HTTP_REQUEST_TIMEOUT_MS: '1000',
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        // Long, so that the connections the cap test holds open stay open.
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '60000',
        HTTP_MAX_CONNECTIONS: '3',
      },
    });
    await gateway.importFiles(articleSeries(1));
    port = Number(new URL(gateway.url).port);
  });
  afterAll(() => gateway.close());

  it.each([
    ['/graphql', 'application/json', graphqlBody],
    ['/views', 'text/plain', beaconBody],
  ])(
    'cuts a body to %s trickled a byte at a time with 408 once the request timeout passes',
    async (path, type, body) => {
      const client = await connect(port);
      // 60 bytes at 100 ms take 6 s: far beyond the (lowered) 1 s request timeout.
      const sent = await trickle(
        client,
        `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${type}\r\n` +
          `User-Agent: ${browserAgent}\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
        100,
      );
      expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(client.socket.destroyed || client.socket.readableEnded).toBe(true);
      expect(sent).toBeLessThan(body.length);
      client.socket.destroy();
    },
  );

  it('cuts headers trickled a byte at a time with 408 once the headers timeout passes', async () => {
    const client = await connect(port);
    const sent = await trickle(client, 'GET /health HTTP/1.1\r\nX-Slow: ', 'a'.repeat(60), 100);
    expect(client.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(60);
    client.socket.destroy();
  });

  it('closes connections beyond HTTP_MAX_CONNECTIONS and takes new ones once one is gone', async () => {
    const health = 'GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n';
    const answered = (client: RawClient) => /^HTTP\/1\.1 200 /.test(client.received());
    const served = async (client: RawClient) => {
      client.socket.write(health);
      await waitUntil(() => answered(client) || client.socket.destroyed);
      return answered(client);
    };
    await waitForConnections(0);
    const held = [await connect(port), await connect(port), await connect(port)];
    try {
      for (const client of held) expect(await served(client)).toBe(true);
      await waitForConnections(3);
      const refused = await connect(port);
      refused.socket.write(health);
      await Promise.race([refused.closed, sleep(2000)]);
      expect(refused.socket.destroyed).toBe(true);
      expect(refused.received()).toBe('');
      for (const client of held) expect(client.socket.destroyed).toBe(false);

      held[0].socket.destroy();
      await waitForConnections(2);
      const next = await connect(port);
      expect(await served(next)).toBe(true);
      next.socket.destroy();
    } finally {
      for (const client of held) client.socket.destroy();
    }
  });

  /** Waits (bounded: 2 s) until a condition holds. */
  async function waitUntil(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 100 && !condition(); i += 1) await sleep(20);
  }

  /** Waits (bounded) until the server holds this many connections. */
  async function waitForConnections(count: number): Promise<void> {
    for (let i = 0; i < 100; i += 1) {
      const open = await new Promise<number>((resolve, reject) =>
        gateway.server.httpServer.getConnections((error, n) =>
          error ? reject(error) : resolve(n),
        ),
      );
      if (open === count) return;
      await sleep(20);
    }
    throw new Error(`the server did not reach ${count} connections`);
  }
});
