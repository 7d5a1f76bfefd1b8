import express from 'express';
import type { RuntimeMetrics } from './runtime-metrics.js';

/** /_emulator: the emulator's own endpoints, never part of the emulated APIs. */
export function createControlRouter(store: { readonly location: string }, version: string, metrics: RuntimeMetrics): express.Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    const { rss, heapUsed } = process.memoryUsage();
    res.json({ status: 'ok', version, store: store.location, memory: { rss, heapUsed } });
  });
  // Memory and event-loop delay, for `npm run bench` and anyone watching a long run.
  router.get('/metrics', (_req, res) => {
    res.json(metrics.snapshot());
  });
  router.post('/metrics/reset', (_req, res) => {
    metrics.reset();
    res.status(204).end();
  });
  return router;
}
