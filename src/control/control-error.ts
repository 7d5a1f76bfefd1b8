/** A request to the control plane that cannot be done: answered `{"error": message}` with `status` (a 4xx). */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ControlError';
  }
}

export const badRequest = (message: string) => new ControlError(400, message);
export const notFound = (message: string) => new ControlError(404, message);
