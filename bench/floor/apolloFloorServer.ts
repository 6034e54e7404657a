import http from 'node:http';
import { ApolloServer, HeaderMap } from '@apollo/server';

/**
 * The floor under any GraphQL mutation on this stack: Apollo Server 5 alone on node:http, with the
 * contract's recordView input and payload, a resolver that counts the view in a Map, no database,
 * no plugins, no express and no TypeGraphQL. The bench measures it against the baseline's
 * recordView (scenario apolloFloor): what the gateway's mutation could reach if everything of its
 * own cost nothing. Run as a child process by bench/runBench.ts; FLOOR_PORT sets the port.
 */
const typeDefs = `#graphql
  input RecordViewInput { slug: String, articleId: ID, visitorId: String, referrer: String }
  type RecordViewPayload { counted: Boolean! }
  type Query { ok: Boolean }
  type Mutation { recordView(input: RecordViewInput!): RecordViewPayload! }
`;

const views = new Map<string, number>();
const resolvers = {
  Mutation: {
    recordView: (_root: unknown, { input }: { input: { slug?: string } }) => {
      const key = input.slug ?? '';
      views.set(key, (views.get(key) ?? 0) + 1);
      return { counted: true };
    },
  },
};

async function main(): Promise<void> {
  const apollo = new ApolloServer({ typeDefs, resolvers });
  await apollo.start();
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/ready') {
      res.end('{"status":"ready"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const text = Buffer.concat(chunks).toString('utf8');
      apollo
        .executeHTTPGraphQLRequest({
          httpGraphQLRequest: {
            method: req.method ?? 'POST',
            headers,
            search: '',
            body: text ? JSON.parse(text) : undefined,
          },
          context: async () => ({}),
        })
        .then(response => {
          for (const [key, value] of response.headers) res.setHeader(key, value);
          res.statusCode = response.status ?? 200;
          res.end(response.body.kind === 'complete' ? response.body.string : '');
        })
        .catch(() => {
          res.statusCode = 500;
          res.end();
        });
    });
  });
  server.listen(Number(process.env.FLOOR_PORT), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

void main();
