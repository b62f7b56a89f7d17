import express, { type Application } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ReadinessReport } from '../../src/readiness.js';

export interface HttpApp {
  app: Application;
  metrics: Registry;
}

/**
 * The one HTTP app every adapter mounts on (Slack's /slack/events, Teams' /api/messages, the local
 * workspace), with liveness, readiness and Prometheus metrics for operators.
 * - /healthz: the process is alive and serving HTTP (restart it if not).
 * - /readyz: it can do its work now: 200, or 503 with each failing check's reason (route traffic away).
 */
export function createHttpApp(readiness: () => Promise<ReadinessReport>): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/readyz', async (_req, res) => {
    const report = await readiness();
    res.status(report.ready ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return { app, metrics };
}
