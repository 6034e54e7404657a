import http from 'node:http';
import type express from 'express';
import type { Logger } from 'pino';
import { sendInternalError } from './httpGuards';
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
      res.status(status).json({ error: http.STATUS_CODES[status] ?? 'Bad Request' });
      return;
    }
    const header = res.getHeader('x-request-id');
    const requestId = typeof header === 'string' ? header : requestIdOf(req);
    log.error({ err: error, requestId, path: req.path }, 'unexpected http error');
    sendInternalError(res, requestId);
  };
}
