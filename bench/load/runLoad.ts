import autocannon from 'autocannon';

export interface LoadRequest {
  /** Where requests go: /graphql unless set (POST /views takes a beacon, not a GraphQL body). */
  path?: string;
  /** The content type of the bodies (application/json unless set). */
  contentType?: string;
  /** The JSON body of the next request (called once per request, so bodies vary). */
  body: () => string;
  headers?: Record<string, string>;
  /** Checks a sampled answer's data (the whole body off /graphql); returns a problem or null. */
  check: (body: unknown) => string | null;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latencyP50: number;
  latencyP99: number;
  latencyMax: number;
  bytesPerResponse: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  sampled: number;
  /** Sampled responses that were errors instead of data, with the first few problems. */
  badResponses: number;
  problems: string[];
}

// Every 10th response is parsed and checked: enough to catch errors served as 200 without
// turning the load generator, which shares the machine's two cores, into the bottleneck.
const sampleEvery = 10;

/**
 * Drives servers with autocannon for `seconds`: `connections` keep-alive connections spread
 * round-robin over the URLs, each request with a fresh body.
 */
export async function runLoad(options: {
  urls: string[];
  connections: number;
  seconds: number;
  request: LoadRequest;
}): Promise<LoadResult> {
  let responses = 0;
  let bytes = 0;
  let sampled = 0;
  let badResponses = 0;
  const problems: string[] = [];
  const result = await autocannon({
    // autocannon 8 takes several URLs and spreads connections over them; its 7.x types say string.
    url: options.urls as unknown as string,
    connections: options.connections,
    duration: options.seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: options.request.path ?? '/graphql',
        headers: {
          'content-type': options.request.contentType ?? 'application/json',
          ...(options.request.headers ?? {}),
        },
        setupRequest: request => ({ ...request, body: options.request.body() }),
        onResponse: (status: number, body: string) => {
          responses += 1;
          bytes += Buffer.byteLength(body);
          if (responses % sampleEvery !== 0 && status < 300) return;
          sampled += 1;
          let problem: string | null;
          try {
            const parsed = JSON.parse(body) as { data?: unknown; errors?: unknown };
            problem = parsed.errors
              ? `errors: ${JSON.stringify(parsed.errors).slice(0, 300)}`
              : options.request.check(options.request.path ? parsed : parsed.data);
          } catch {
            problem = `status ${status}, not JSON: ${body.slice(0, 200)}`;
          }
          if (problem) {
            badResponses += 1;
            if (problems.length < 5) problems.push(problem);
          }
        },
      },
    ],
  });
  const requests = result.requests.total;
  return {
    requests,
    seconds: result.duration,
    requestsPerSecond: requests / result.duration,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMax: result.latency.max,
    bytesPerResponse: responses ? bytes / responses : 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    sampled,
    badResponses,
    problems,
  };
}
