import request from 'supertest';
import type { Response, Test } from 'supertest';
import type { Server } from 'node:http';

/** Requests to the /_emulator control plane of `server` (paths below /_emulator). */
export interface ControlClient {
  get(path: string): Test;
  /** A JSON body (an object, or a string sent as is); none when omitted. */
  post(path: string, body?: unknown): Test;
  del(path: string): Test;
}

export function controlClient(server: Server): ControlClient {
  return {
    get: (path) => request(server).get(`/_emulator${path}`),
    post: (path, body) => {
      const req = request(server).post(`/_emulator${path}`);
      if (body === undefined) return req;
      return req.set('Content-Type', 'application/json').send(typeof body === 'string' ? body : JSON.stringify(body));
    },
    del: (path) => request(server).delete(`/_emulator${path}`),
  };
}

/** A control-plane error: the status, JSON, and a body that is exactly `{"error": "<text>"}`. Returns the text. */
export function controlError(res: Response, status: number): string {
  expect({ status: res.status, type: res.headers['content-type'] as string | undefined }).toEqual({ status, type: expect.stringMatching(/^application\/json/) });
  const body = res.body as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error).toBe('string');
  return body.error as string;
}

/** The JSON body of a 2xx control-plane answer. */
export function controlOk<T = Record<string, unknown>>(res: Response, status = 200): T {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status} ${res.text}`);
  return res.body as T;
}
