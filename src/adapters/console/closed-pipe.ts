/**
 * A closed pipe ends the program quietly, as it does every Unix tool: `dossier ask … | head -1`
 * must not die with an EPIPE stack trace once `head` has what it wants.
 */
import type { Writable } from 'node:stream';

/** Whether an error is a write to a pipe (or socket) whose reader has gone. */
export function isClosedPipe(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}

/**
 * When `stream`'s reader goes away, call `onClosed` (once) instead of throwing; any other write
 * error is re-thrown as before.
 *
 * @example
 * onClosedPipe(process.stdout, () => process.exit(0));
 */
export function onClosedPipe(stream: Writable, onClosed: () => void): void {
  let called = false;
  stream.on('error', (error: unknown) => {
    if (!isClosedPipe(error)) throw error;
    if (called) return;
    called = true;
    onClosed();
  });
}
