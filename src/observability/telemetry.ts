/**
 * What the rest of the program reports about itself: one small interface, so commands and
 * adapters never depend on a metrics library. The production implementation feeds pino logs
 * and prom-client metrics; tests can pass {@link noTelemetry} or a recording one.
 */
import type { Platform } from '../commands/types.js';

export type CommandOutcome = 'answer' | 'not-found' | 'usage' | 'error' | 'notice' | 'failed' | 'rate-limited';

export interface CommandEvent {
  platform: Platform;
  chatId: string;
  /** Command name without the slash ("who"), "question" for plain questions, "unknown" otherwise. */
  command: string;
  /** The argument, truncated; never the rest of a message. */
  argument: string;
  outcome: CommandOutcome;
  latencyMs: number;
  /** Platform update/interaction id, when there is one. */
  updateId?: string;
}

export interface Telemetry {
  commandHandled(event: CommandEvent): void;
  /** A platform call failed; `kind` is a DeliveryErrorKind or a short platform-specific word. */
  platformError(platform: Platform, kind: string): void;
  digestDelivered(platform: Platform, outcome: 'sent' | 'failed' | 'skipped'): void;
}

/** Telemetry that records nothing. */
export const noTelemetry: Telemetry = {
  commandHandled() {},
  platformError() {},
  digestDelivered() {},
};
