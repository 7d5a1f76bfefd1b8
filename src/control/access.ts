import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { ControlError } from './control-error.js';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IP address in 127.0.0.0/8, ::1, or IPv4 loopback written as IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const family = isIP(address);
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Host names a browser on this machine uses for it: a loopback IP literal
 * (with or without a port), `localhost` or a name under `.localhost`. Any
 * other name could have been rebound to 127.0.0.1 by an attacker's DNS,
 * `127.evil.example` and `127.0.0.1.nip.io` included. The name is read as a
 * browser reads it (the WHATWG URL parser), so `127.1` is the IP literal it
 * stands for and not a name to resolve.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 without Host: not a browser
  if (host === '' || /[/?#@\\\s]/.test(host)) return false;
  let name: string;
  try {
    name = new URL(`http://${host}/`).hostname;
  } catch {
    return false;
  }
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  return name === 'localhost' || name.endsWith('.localhost') || isLoopbackAddress(name);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** What the access check reads of a request. */
export interface ControlRequest {
  method: string;
  host: string | undefined;
  origin: string | undefined;
  remoteAddress: string | undefined;
  authorization: string | undefined;
}

/**
 * Who may use the control plane: null when `request` may, else the error to
 * answer. A loopback client may (it could read the data file anyway), as long
 * as the Host it asked for is a loopback name: a web page whose name was
 * rebound to 127.0.0.1 may not. Anyone else needs `Authorization: Bearer
 * <token>`, and only when a token is configured. Requests that change
 * something must not come from another origin's page (Origin, which browsers
 * always send on such requests, must match Host).
 */
export type ControlAccessCheck = (request: ControlRequest) => ControlError | null;

export function controlAccessCheck(token: string | null): ControlAccessCheck {
  const expected = token === null ? null : digest(token);
  return ({ method, host, origin, remoteAddress, authorization }) => {
    if (origin !== undefined && method !== 'GET' && method !== 'HEAD') {
      let originHost: string | null = null;
      try {
        originHost = new URL(origin).host;
      } catch {
        originHost = null;
      }
      if (originHost === null || originHost.toLowerCase() !== (host ?? '').toLowerCase()) {
        return new ControlError(403, `requests from another origin (${origin}) may not change the emulator`);
      }
    }
    if (isLoopbackAddress(remoteAddress) && isLoopbackHost(host)) return null;
    if (expected === null) {
      return new ControlError(403, 'the control plane answers loopback clients only; start the emulator with --control-token (TCE_CONTROL_TOKEN) to let others in');
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    // Compared as hashes: equal lengths, and the time taken says nothing about the token.
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      return new ControlError(401, 'send the control token as "Authorization: Bearer <token>"', { 'WWW-Authenticate': 'Bearer realm="tencentcloud-emulator control plane"' });
    }
    return null;
  };
}

/** controlAccessCheck as Express middleware. */
export function controlAccess(token: string | null) {
  const check = controlAccessCheck(token);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const refused = check({
      method: req.method,
      host: req.get('host'),
      origin: req.get('origin'),
      remoteAddress: req.socket.remoteAddress,
      authorization: req.get('authorization'),
    });
    next(refused ?? undefined);
  };
}
