import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { type AuditResult, serverAudits } from 'graphql-http';
import pino from 'pino';
import { describeEachDatabase } from './helpers/databases';
import { articleSeries } from './helpers/fixtures';
import { startTestGateway, type TestGateway } from './helpers/testGateway';

type Status = AuditResult['status'];

interface AuditRun {
  /** How many audits ended with each status. */
  counts: Record<Status, number>;
  /** The audits that did not pass, as "status id name: reason". */
  findings: string[];
}

/** Runs graphql-http's server audits one after the other (as its own auditServer does) at url. */
async function audit(url: string): Promise<AuditRun> {
  const counts: Record<Status, number> = { ok: 0, notice: 0, warn: 0, error: 0 };
  const findings: string[] = [];
  for (const { fn } of serverAudits({ url })) {
    const result = await fn();
    counts[result.status] += 1;
    if (result.status !== 'ok') {
      findings.push(`${result.status} ${result.id} ${result.name}: ${result.reason}`);
    }
  }
  return { counts, findings };
}

/** Strips the reason, which names each server's own answer, leaving status, id and name. */
const withoutReasons = (findings: string[]) => findings.map(line => line.split(': ')[0]);

/** Plain Apollo Server 5 on its standalone HTTP server and a one-field schema: the reference. */
async function auditPlainApollo(): Promise<AuditRun> {
  const apollo = new ApolloServer({
    typeDefs: /* GraphQL */ `
      type Query {
        hello: String
      }
    `,
    resolvers: { Query: { hello: () => 'world' } },
    introspection: true,
  });
  const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
  try {
    return await audit(url);
  } finally {
    await apollo.stop();
  }
}

let reference: AuditRun;
beforeAll(async () => {
  reference = await auditPlainApollo();
});

describeEachDatabase('the GraphQL-over-HTTP audit of graphql-http', dialect => {
  let gateway: TestGateway;
  let run: AuditRun;
  const errorLines: string[] = [];

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        if ((JSON.parse(String(chunk)) as { level: number }).level >= 50) {
          errorLines.push(String(chunk));
        }
        done();
      },
    });
    // Production settings with introspection on, rate limits as they ship.
    gateway = await startTestGateway(dialect, {
      env: { NODE_ENV: 'production', INTROSPECTION: 'true', RATE_LIMIT_ENABLED: 'true' },
      log: pino({ level: 'info' }, stream),
    });
    await gateway.importFiles(articleSeries(2));
    run = await audit(`${gateway.url}/graphql`);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('finds no error on the gateway and the same counts as on plain Apollo Server', () => {
    console.log(
      [
        `graphql-http audit [${dialect}]: gateway ${JSON.stringify(run.counts)}, plain Apollo ${JSON.stringify(reference.counts)}`,
        'gateway:',
        ...run.findings,
        'plain Apollo:',
        ...reference.findings,
      ].join('\n'),
    );
    expect(run.counts.error).toBe(0);
    expect(reference.counts).toEqual({ ok: 55, notice: 3, warn: 3, error: 0 });
    expect(run.counts).toEqual(reference.counts);
  });

  it('warns of the same audits as plain Apollo Server', () => {
    expect(withoutReasons(run.findings)).toEqual(withoutReasons(reference.findings));
  });

  it('logs no error for any of the audit requests', () => {
    expect(errorLines).toEqual([]);
  });
});
