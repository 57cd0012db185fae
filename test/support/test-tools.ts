/**
 * Small tools shared by tests that run real components: a logger whose JSON lines can be read
 * back, telemetry that remembers what it was told, and a free port on 127.0.0.1.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import type { CommandEvent, Telemetry } from '../../src/observability/telemetry.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';

/** The production logger (JSON, debug level) writing into an array of parsed lines. */
export function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const destination = {
    write(chunk: string) {
      for (const line of chunk.split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  return { logger: createLogger({ level: 'debug', format: 'json', destination }), lines };
}

/** Telemetry that records every command and every platform error kind. */
export function recordingTelemetry(): { telemetry: Telemetry; commands: CommandEvent[]; platformErrors: string[] } {
  const commands: CommandEvent[] = [];
  const platformErrors: string[] = [];
  const telemetry: Telemetry = {
    commandHandled: (event) => void commands.push(event),
    platformError: (_platform, kind) => void platformErrors.push(kind),
    digestDelivered: () => undefined,
  };
  return { telemetry, commands, platformErrors };
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for servers whose URL must be known first). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
