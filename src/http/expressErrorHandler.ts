import http from 'node:http';
import type express from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { type Refusal, sendInternalError, sendRefusal } from './httpGuards';
import { requestIdOf } from './incomingRequest';

/**
 * Last resort for errors in the express routes (a failing middleware): a JSON answer without
 * detail or stack (express's default handler prints the stack outside production), the detail in
 * the log.
 */
export function expressErrorHandler(log: Logger): express.ErrorRequestHandler {
  return (error: { status?: number; statusCode?: number }, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      sendRefusal(res, clientRefusal(status, req.path));
      return;
    }
    const header = res.getHeader('x-request-id');
    const requestId = typeof header === 'string' ? header : requestIdOf(req);
    log.error({ err: error, requestId, path: req.path }, 'unexpected http error');
    sendInternalError(res, requestId);
  };
}

/** Anything express serves no route for (or a missing media file): a JSON 404, as every answer. */
export function notFoundHandler(): express.RequestHandler {
  return (req, res) => sendRefusal(res, clientRefusal(404, req.path));
}

/** A client error of an express route in the GraphQL error shape: NOT_FOUND for 404, else BAD_REQUEST. */
function clientRefusal(status: number, path: string): Refusal {
  const message =
    status === 404
      ? `Nothing is served at ${JSON.stringify(path)}.`
      : `${http.STATUS_CODES[status] ?? 'Bad Request'}.`;
  return {
    status,
    error: new GraphQLError(message, {
      extensions: { code: status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST' },
    }),
  };
}
