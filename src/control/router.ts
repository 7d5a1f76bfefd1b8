import express from 'express';

/** /_emulator: the emulator's own endpoints, never part of the emulated APIs. */
export function createControlRouter(store: { readonly location: string }, version: string): express.Router {
  const router = express.Router();
  router.get('/health', (_req, res) => {
    const { rss, heapUsed } = process.memoryUsage();
    res.json({ status: 'ok', version, store: store.location, memory: { rss, heapUsed } });
  });
  return router;
}
