import type { ChildProcess } from 'node:child_process';

/**
 * The URL an emulator child process prints in its banner (`listening on
 * http://…`); rejects if it exits first or stays silent past `timeoutMs`.
 */
export function waitForBanner(child: ChildProcess, timeoutMs: number, stderr: () => string = () => ''): Promise<string> {
  let out = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within ${timeoutMs / 1000} s; stderr: ${stderr()}`)), timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${stderr()}`));
    });
  });
}
