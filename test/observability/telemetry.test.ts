import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/delivery/types.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createTelemetry, loggableArgument, type CommandEvent } from '../../src/observability/telemetry.js';
import { captureLines } from './log-capture.js';

function setup() {
  const out = captureLines();
  const metrics = createMetrics({ defaultMetrics: false });
  const telemetry = createTelemetry({ logger: createLogger({ format: 'json', destination: out }), metrics });
  return { out, metrics, telemetry };
}

const event: CommandEvent = {
  platform: 'telegram',
  chatId: '-100123',
  command: 'who',
  argument: 'massoud',
  outcome: 'answer',
  latencyMs: 42.123,
  updateId: '5001',
};

describe('createTelemetry', () => {
  it('logs a command with platform, chat, command, argument, outcome and latency', () => {
    const { out, telemetry } = setup();
    telemetry.commandHandled(event);
    expect(out.records()[0]).toMatchObject({
      level: 30,
      event: 'command',
      platform: 'telegram',
      chat: '-100123',
      command: 'who',
      argument: 'massoud',
      outcome: 'answer',
      latencyMs: 42.1,
      updateId: '5001',
      msg: 'command handled',
    });
  });

  it('counts the command and observes its latency in seconds', async () => {
    const { metrics, telemetry } = setup();
    telemetry.commandHandled(event);
    telemetry.commandHandled({ ...event, outcome: 'not-found', latencyMs: 3000 });
    const text = await metrics.metrics();
    expect(text).toContain('dossier_commands_total{platform="telegram",command="who",outcome="answer"} 1');
    expect(text).toContain('dossier_commands_total{platform="telegram",command="who",outcome="not-found"} 1');
    expect(text).toContain('dossier_reply_latency_seconds_bucket{le="0.05",platform="telegram"} 1');
    expect(text).toContain('dossier_reply_latency_seconds_bucket{le="5",platform="telegram"} 2');
    expect(text).toContain('dossier_reply_latency_seconds_count{platform="telegram"} 2');
  });

  it('carries at most 100 characters of the argument, on one line, and nothing else of the message', () => {
    const { out, telemetry } = setup();
    const long = `${'a'.repeat(150)} SECRET-TAIL`;
    telemetry.commandHandled({ ...event, argument: long });
    telemetry.commandHandled({ ...event, argument: 'line one\nline two\u202e\u0007' });
    const [first, second] = out.records();
    expect([...(first?.argument as string)]).toHaveLength(100);
    expect(out.text()).not.toContain('SECRET-TAIL');
    expect(second?.argument).toBe('line one line two');
  });

  it('keeps an odd command name out of the metric labels', async () => {
    const { metrics, telemetry } = setup();
    telemetry.commandHandled({ ...event, command: 'Who<script>' });
    expect(await metrics.metrics()).toContain('command="other"');
  });

  it('logs a failed command as a warning', () => {
    const { out, telemetry } = setup();
    telemetry.commandHandled({ ...event, outcome: 'failed' });
    expect(out.records()[0]).toMatchObject({ level: 40, outcome: 'failed', msg: 'command failed' });
  });

  it('counts platform errors by kind and logs their cause', async () => {
    const { out, metrics, telemetry } = setup();
    const cause = new DeliveryError('rate-limited', 'Telegram asked us to wait 3 s', { retryAfterMs: 3000, cause: new Error('429 Too Many Requests') });
    telemetry.platformError('telegram', 'rate-limited', cause);
    telemetry.platformError('discord', 'transient');
    expect(await metrics.metrics()).toContain('dossier_platform_errors_total{platform="telegram",kind="rate-limited"} 1');
    const [first, second] = out.records();
    expect(first).toMatchObject({ level: 40, event: 'platform-error', platform: 'telegram', kind: 'rate-limited' });
    expect((first?.err as { message: string; cause: { message: string } }).cause.message).toBe('429 Too Many Requests');
    expect(second?.err).toBeUndefined();
  });

  it('counts digests by outcome and logs failures with their cause', async () => {
    const { out, metrics, telemetry } = setup();
    telemetry.digestDelivered('discord', 'sent');
    telemetry.digestDelivered('discord', 'failed', new Error('Missing Access'));
    const text = await metrics.metrics();
    expect(text).toContain('dossier_digests_total{platform="discord",outcome="sent"} 1');
    expect(text).toContain('dossier_digests_total{platform="discord",outcome="failed"} 1');
    expect(out.records()[1]).toMatchObject({ level: 40, msg: 'digest failed', err: { message: 'Missing Access' } });
  });
});

describe('loggableArgument', () => {
  it('leaves short arguments alone, including non-Latin text', () => {
    expect(loggableArgument('احمد مسعود')).toBe('احمد مسعود');
  });
  it('cuts long ones to 100 characters, counting emoji as one', () => {
    const cut = loggableArgument('😀'.repeat(200));
    expect([...cut]).toHaveLength(100);
    expect(cut.endsWith('…')).toBe(true);
  });
});
