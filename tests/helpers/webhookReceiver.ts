import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver does with one request: answer with a status, or hold it and never answer. */
export type ReceiverAnswer = number | 'hang';

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  /** The payload as the standardwebhooks library verified it; null where verification failed. */
  verified: { type: string; timestamp: string; data: Record<string, unknown> } | null;
  /** Why verification failed, where it did. */
  verifyError: string | null;
  answer: ReceiverAnswer;
  receivedAt: number;
}

/**
 * A real HTTP receiver on localhost that verifies every request with the standardwebhooks
 * library (`new Webhook(secret).verify(body, headers)`, as a consumer does) and answers as
 * `answers` says, one by one (the last repeats; 204 by default).
 */
export async function startWebhookReceiver(
  secret: string,
  answers: ReceiverAnswer[] = [204],
  /** Runs before the answer, as a consumer refetching at once would. */
  onRequest?: (message: ReceivedWebhook) => Promise<void>,
) {
  const received: ReceivedWebhook[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [name, String(value)]),
      );
      let verified: ReceivedWebhook['verified'] = null;
      let verifyError: string | null = null;
      try {
        verified = new Webhook(secret).verify(body, headers) as ReceivedWebhook['verified'];
      } catch (error) {
        verifyError = (error as Error).message;
      }
      const answer = answers[Math.min(received.length, answers.length - 1)];
      const message = { headers, body, verified, verifyError, answer, receivedAt: Date.now() };
      void (onRequest ? onRequest(message) : Promise.resolve()).then(() => reply(message));
    });
    const reply = (message: ReceivedWebhook) => {
      const { answer } = message;
      received.push(message);
      for (const wait of [...waiting]) {
        if (received.length >= wait.count) {
          waiting.splice(waiting.indexOf(wait), 1);
          wait.resolve();
        }
      }
      if (answer === 'hang') {
        held.add(res);
        return;
      }
      res.writeHead(answer).end(answer >= 300 ? 'receiver says no' : undefined);
    };
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Resolves once count requests have arrived (fails the test after timeoutMs). */
    waitFor(count: number, timeoutMs = 10_000): Promise<void> {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} webhooks, got ${received.length}`)),
          timeoutMs,
        );
        waiting.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    async close(): Promise<void> {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
