import pino, { type DestinationStream, type Logger } from 'pino';

// What drivers put on their errors that may hold SQL text or the values it was run with: TypeORM's
// QueryFailedError (query, parameters), node-postgres's DatabaseError (internalQuery; detail, which
// quotes the values of a violated key). SQL text is for trace level only (StatementLogger).
const statementFields = ['query', 'parameters', 'internalQuery', 'detail'];

/** pino's error serializer without statement text or parameters, at any depth of nested errors. */
export function errorWithoutStatement(error: unknown): unknown {
  // Copies, never deletes: a nested object may be the application's own.
  const strip = (value: unknown, depth: number): unknown => {
    if (depth > 4 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(item => strip(item, depth + 1));
    if (value instanceof Date || value instanceof Map || Buffer.isBuffer(value)) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (!statementFields.includes(key)) copy[key] = strip(field, depth + 1);
    }
    return copy;
  };
  return strip(pino.stdSerializers.err(error as Error), 0);
}

/**
 * Structured JSON logs. Redaction is a second line of defence: the code never logs IPs, tokens or
 * variables in the first place. `destination` is for tests that read the log; stdout otherwise.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'content-gateway' },
    serializers: { err: errorWithoutStatement },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.authorization',
        '*.token',
        '*.ip',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
