/**
 * Lines of a text stream, split on "\n" only.
 *
 * Node's readline also ends a line at a lone "\r", so a message carrying a carriage return
 * (pasted from another program) would become two messages and two answers. Here only "\n" ends a
 * line; a "\r" just before it (a CRLF file) is dropped, one anywhere else stays in the message.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** Lines kept waiting before the stream is paused, so a huge pipe is read only as fast as it is answered. */
const HIGH_WATER_LINES = 64;

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/**
 * Read `input` line by line until it ends or `signal` aborts. A last line without "\n" is still
 * a line. On abort the stream is paused and no further line is yielded, even one already read.
 *
 * @example
 * for await (const line of readLines(process.stdin)) console.log(line);
 */
export async function* readLines(input: Readable, signal?: AbortSignal): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const queue: string[] = [];
  let partial = '';
  let ended = signal?.aborted === true;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const onData = (chunk: Buffer | string) => {
    const parts = (partial + (typeof chunk === 'string' ? chunk : decoder.write(chunk))).split('\n');
    partial = parts.pop() ?? '';
    queue.push(...parts.map(withoutCr));
    if (queue.length >= HIGH_WATER_LINES) input.pause();
    notify();
  };
  const onEnd = () => {
    partial += decoder.end();
    if (partial !== '') queue.push(withoutCr(partial));
    partial = '';
    ended = true;
    notify();
  };
  const onAbort = () => {
    queue.length = 0;
    ended = true;
    notify();
  };
  input.on('data', onData);
  input.on('end', onEnd);
  input.on('close', onEnd);
  input.on('error', onEnd);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const line = queue.shift();
      if (line !== undefined) {
        if (queue.length < HIGH_WATER_LINES / 2 && input.isPaused() && !ended) input.resume();
        yield line;
        if (signal?.aborted === true) return;
        continue;
      }
      if (ended) return;
      if (input.isPaused()) input.resume();
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    input.off('data', onData);
    input.off('end', onEnd);
    input.off('close', onEnd);
    input.off('error', onEnd);
    signal?.removeEventListener('abort', onAbort);
    // Like readline's close: stop reading, leave the stream to its owner.
    input.pause();
  }
}
