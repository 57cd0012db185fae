/**
 * What the rest of the program reports about itself: one small interface, so commands and
 * adapters never depend on a metrics library. The production implementation feeds pino logs
 * and prom-client metrics; tests can pass {@link noTelemetry} or a recording one.
 */
import type { Platform } from '../commands/types.js';
import type { Logger } from './logger.js';
import type { DossierMetrics } from './metrics.js';

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
  /**
   * A platform call failed; `kind` is a DeliveryErrorKind or a short platform-specific word.
   * Pass the error as `cause` so the log line carries it (message, stack and its own cause).
   */
  platformError(platform: Platform, kind: string, cause?: unknown): void;
  /** A scheduled digest was sent, failed (pass the error as `cause`) or skipped. */
  digestDelivered(platform: Platform, outcome: 'sent' | 'failed' | 'skipped', cause?: unknown): void;
  /** A digest was given up after repeated failures; `reason` is the last failure's kind. */
  digestGivenUp?(platform: Platform, reason: string): void;
}

/** Telemetry that records nothing. */
export const noTelemetry: Telemetry = {
  commandHandled() {},
  platformError() {},
  digestDelivered() {},
};

/** The longest argument a log line carries. */
export const LOGGED_ARGUMENT_LIMIT = 100;

/**
 * The production telemetry: one pino line and the matching Prometheus counters per event.
 * Command lines carry the platform, chat, command, argument (at most 100 characters, control
 * characters removed), outcome and latency, and never any other text of the message.
 *
 * @example
 * const telemetry = createTelemetry({ logger, metrics: createMetrics() });
 * const router = createRouter({ commands, logger, telemetry });
 */
export function createTelemetry(deps: { logger: Logger; metrics: DossierMetrics }): Telemetry {
  const { metrics } = deps;
  const logger = deps.logger.child({ component: 'telemetry' });
  return {
    commandHandled(event) {
      const command = labelWord(event.command, 'other');
      const latencyMs = Math.max(0, event.latencyMs);
      metrics.commands.inc({ platform: event.platform, command, outcome: event.outcome });
      metrics.replyLatency.observe({ platform: event.platform }, latencyMs / 1000);
      const line = {
        event: 'command',
        platform: event.platform,
        chat: event.chatId,
        command,
        argument: loggableArgument(event.argument),
        outcome: event.outcome,
        latencyMs: Math.round(latencyMs * 10) / 10,
        ...(event.updateId === undefined ? {} : { updateId: event.updateId }),
      };
      if (event.outcome === 'failed') logger.warn(line, 'command failed');
      else logger.info(line, 'command handled');
    },
    platformError(platform, kind, cause) {
      const label = labelWord(kind, 'other');
      metrics.platformErrors.inc({ platform, kind: label });
      logger.warn({ event: 'platform-error', platform, kind: label, ...(cause === undefined ? {} : { err: cause }) }, 'platform call failed');
    },
    digestDelivered(platform, outcome, cause) {
      metrics.digests.inc({ platform, outcome });
      const line = { event: 'digest', platform, outcome, ...(cause === undefined ? {} : { err: cause }) };
      if (outcome === 'failed') logger.warn(line, 'digest failed');
      else logger.info(line, `digest ${outcome}`);
    },
    digestGivenUp(platform, reason) {
      metrics.digestsGivenUp.inc({ platform, reason: labelWord(reason, 'other') });
    },
  };
}

/** An argument as a log line may carry it: one line, at most {@link LOGGED_ARGUMENT_LIMIT} characters. */
export function loggableArgument(argument: string): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = argument.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  const chars = [...oneLine];
  return chars.length <= LOGGED_ARGUMENT_LIMIT ? oneLine : `${chars.slice(0, LOGGED_ARGUMENT_LIMIT - 1).join('')}…`;
}

/** A metric label from a free word: bounded so a typo cannot create unlimited time series. */
function labelWord(word: string, fallback: string): string {
  return /^[a-z0-9][a-z0-9_-]{0,31}$/.test(word) ? word : fallback;
}
