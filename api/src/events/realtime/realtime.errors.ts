/** A socket.io request that fails with an HTTP-like status (docs/realtime.md). */
export class RealtimeRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
