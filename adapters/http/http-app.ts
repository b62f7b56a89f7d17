import express, { type Application } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';

export interface HttpApp {
  app: Application;
  metrics: Registry;
}

/**
 * The one HTTP app every adapter mounts on (Slack's /slack/events now, Teams' /api/messages later),
 * with liveness and Prometheus metrics for operators.
 */
export function createHttpApp(): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return { app, metrics };
}
