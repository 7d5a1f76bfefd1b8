import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ControlError } from './control-error.js';

/** 127.0.0.0/8, ::1, and IPv4 loopback written as IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** Host names a browser on this machine uses for it (a rebinding attacker's name is none of them). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return true; // HTTP/1.0 without Host: not a browser
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Who may use the control plane. A loopback client may (it could read the
 * data file anyway), as long as the Host it asked for is a loopback name: a
 * web page whose name was rebound to 127.0.0.1 may not. Anyone else needs
 * `Authorization: Bearer <token>`, and only when a token is configured.
 * Requests that change something must not come from another origin's page
 * (Origin, which browsers always send on such requests, must match Host).
 */
export function controlAccess(token: string | null) {
  const expected = token === null ? null : digest(token);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const origin = req.get('origin');
    if (origin !== undefined && req.method !== 'GET' && req.method !== 'HEAD') {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (originHost === null || originHost.toLowerCase() !== (req.get('host') ?? '').toLowerCase()) {
        return next(new ControlError(403, `requests from another origin (${origin}) may not change the emulator`));
      }
    }
    if (isLoopbackAddress(req.socket.remoteAddress) && isLoopbackHost(req.get('host'))) return next();
    if (expected === null) {
      return next(
        new ControlError(403, 'the control plane answers loopback clients only; start the emulator with --control-token (TCE_CONTROL_TOKEN) to let others in'),
      );
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    // Compared as hashes: equal lengths, and the time taken says nothing about the token.
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      return next(new ControlError(401, 'send the control token as "Authorization: Bearer <token>"', { 'WWW-Authenticate': 'Bearer realm="tencentcloud-emulator control plane"' }));
    }
    next();
  };
}
