import express from 'express';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import type { Config } from '../config';
import type { DrainGate } from './drainGate';
import type { Metrics } from '../ops/metrics';

export interface OpsRoutesOptions {
  config: Config;
  db: DataSource;
  log: Logger;
  metrics: Metrics;
  drain: DrainGate;
}

/** The operational routes on express: /health, /ready, /metrics and the media files. */
export function opsRoutes({ config, db, log, metrics, drain }: OpsRoutesOptions): express.Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/ready', async (_req, res) => {
    if (drain.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await db.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch (error) {
      log.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  router.use(
    '/media',
    express.static(config.mediaDir, {
      fallthrough: false,
      immutable: true,
      maxAge: '7d',
      index: false,
    }),
  );
  return router;
}
