/**
 * /subscribe, /unsubscribe, /subscriptions and /digest: scheduled digests, managed from the chat.
 * Changing subscriptions is for moderators in groups (the router checks `moderatorOnly`);
 * anyone may list them or ask for the digest now.
 */
import { describeSchedule, parseSchedule, readScheduleRule, unknownTimeZone, SCHEDULE_EXAMPLES, type Schedule } from '../digests/schedule.js';
import type { DigestService } from '../digests/service.js';
import { canonicalTimeZone, formatInZone } from '../digests/zoned-time.js';
import { reply, type Reply, type ReplyLine } from '../replies/reply.js';
import type { KnowledgeProvider } from '../search/types.js';
import type { DigestStore, QuietMode, Subscription } from '../storage/types.js';
import { parseArguments } from './arguments.js';
import { echo } from './input.js';
import { UserFacingError, type CommandContext, type CommandDefinition } from './types.js';

export interface SubscriptionCommandDeps {
  store: DigestStore;
  digests: Pick<DigestService, 'digestFor' | 'nextSlotFor' | 'scheduleOf'> & Partial<Pick<DigestService, 'deliveryProblem'>>;
  knowledge: KnowledgeProvider;
  /** The zone used when /subscribe names none (DIGEST_TIMEZONE). */
  defaultTimeZone: string;
  /** Most subscriptions one chat may have (default 10). */
  maxPerChat?: number;
}

/** The schedule used when /subscribe names none. */
export const DEFAULT_SCHEDULE = 'daily 08:00';
/** The word that makes a subscription send nothing when nothing is new. */
export const ONLY_NEW_FLAG = 'only-new';

type Topic = { entityId: string; label: string };

interface SubscribeRequest {
  schedule: Schedule;
  quiet: QuietMode;
  topic?: Topic;
}

const line = (text: string): ReplyLine => ({ text, cites: [] });

/** A time-zone-looking token: `Area/City`, `UTC`, `GMT`, `Etc/GMT+5`. */
function looksLikeTimeZone(token: string): boolean {
  return token.includes('/') || /^(utc|gmt|z)$/i.test(token);
}

function resolveTopic(knowledge: KnowledgeProvider, text: string): Topic | undefined {
  const { id, query } = parseArguments(text);
  const { kb, search } = knowledge();
  if (id !== undefined) {
    const entity = kb.entities.find((e) => e.id === id);
    if (entity === undefined) throw new UserFacingError('That entry is no longer in the knowledge base.', ['/subscribe daily 08:00 massoud']);
    return { entityId: entity.id, label: entity.label };
  }
  if (query === '') return undefined;
  const resolution = search.resolveEntity(query);
  switch (resolution.kind) {
    case 'found':
      return { entityId: resolution.hit.entity.id, label: resolution.hit.entity.label };
    case 'ambiguous':
      throw new UserFacingError(
        `“${echo(query, 40)}” could mean ${resolution.hits.slice(0, 3).map((h) => h.entity.label).join(', ')}. Name one of them.`,
        resolution.hits.slice(0, 3).map((h) => `/subscribe daily 08:00 ${h.entity.label}`),
      );
    case 'none':
      throw new UserFacingError(
        `I don't know “${echo(query, 40)}”, so I can't narrow a digest to it.`,
        resolution.suggestions.length > 0
          ? [`Did you mean ${resolution.suggestions.slice(0, 3).map((s) => s.entity.label).join(', ')}?`, ...SCHEDULE_EXAMPLES.slice(0, 2).map((e) => `/subscribe ${e}`)]
          : SCHEDULE_EXAMPLES.slice(0, 3).map((e) => `/subscribe ${e}`),
      );
  }
}

/**
 * Read `/subscribe [when] [timezone] [only-new] [topic]`.
 *
 * @throws {UserFacingError} for a malformed schedule, an unknown zone or an unknown topic.
 */
export function parseSubscribeText(text: string, defaultTimeZone: string, knowledge: KnowledgeProvider): SubscribeRequest {
  const tokens = text.split(/\s+/).filter((t) => t !== '');
  const read = readScheduleRule(tokens);
  let rest = tokens.slice(read?.used ?? 0);
  let timeZone = defaultTimeZone;
  const zoneToken = rest[0];
  if (zoneToken !== undefined && looksLikeTimeZone(zoneToken)) {
    const zone = canonicalTimeZone(zoneToken);
    if (zone === undefined) throw unknownTimeZone(echo(zoneToken, 40));
    timeZone = zone;
    rest = rest.slice(1);
  }
  let quiet: QuietMode = 'notice';
  if (rest.some((t) => t.toLowerCase() === ONLY_NEW_FLAG)) {
    quiet = 'skip';
    rest = rest.filter((t) => t.toLowerCase() !== ONLY_NEW_FLAG);
  }
  const schedule = parseSchedule(read?.text ?? DEFAULT_SCHEDULE, timeZone);
  const topic = resolveTopic(knowledge, rest.join(' '));
  return { schedule, quiet, ...(topic === undefined ? {} : { topic }) };
}

function describeSubscription(deps: SubscriptionCommandDeps, sub: Subscription, now: Date): ReplyLine {
  const next = deps.digests.nextSlotFor(sub, now);
  const what = `#${sub.id}: ${describeWhen(deps, sub)}${sub.topic === undefined ? '' : `, about ${sub.topic.label}`}`;
  if (sub.status !== 'active') return { text: `${what} — stopped: ${sub.statusReason ?? 'inactive'}`, cites: [], note: 'inactive' };
  // A chat that keeps failing: say so, with the platform's reason, next to the next delivery time.
  const problem = deps.digests.deliveryProblem?.(sub);
  const note = problem ?? (sub.quiet === 'skip' ? 'only when something is new' : undefined);
  return { text: `${what} — next ${next === undefined ? 'unknown' : formatInZone(next, sub.timeZone)}`, cites: [], ...(note === undefined ? {} : { note }) };
}

/** A subscription's schedule in words, from the digest service's parsed (cached) schedule. */
function describeWhen(deps: SubscriptionCommandDeps, sub: Subscription): string {
  const schedule = deps.digests.scheduleOf(sub);
  return `${schedule === undefined ? sub.schedule : describeSchedule(schedule)} (${sub.timeZone})`;
}

function subscribe(deps: SubscriptionCommandDeps, text: string, context: CommandContext): Reply {
  const request = parseSubscribeText(text, deps.defaultTimeZone, deps.knowledge);
  const { chat, now } = context;
  const existing = deps.store.subscriptionsForChat(chat.platform, chat.id).filter((s) => s.status === 'active');
  const same = existing.find(
    (s) => s.schedule === request.schedule.text && s.timeZone === request.schedule.timeZone && s.topic?.entityId === request.topic?.entityId,
  );
  if (same !== undefined) {
    return reply({
      kind: 'notice',
      title: `This chat already gets that digest (subscription #${same.id}).`,
      sections: [{ label: 'Subscriptions', lines: [describeSubscription(deps, same, now)] }],
      actions: [{ label: 'Unsubscribe', command: `/unsubscribe ${same.id}` }],
    });
  }
  const max = deps.maxPerChat ?? 10;
  if (existing.length >= max) {
    throw new UserFacingError(`This chat already has ${existing.length} digest subscriptions, the most allowed. Remove one first.`, [
      '/subscriptions',
      '/unsubscribe <number>',
    ]);
  }
  const sub = deps.store.addSubscription({
    platform: chat.platform,
    chatId: chat.id,
    chatType: chat.type,
    schedule: request.schedule.text,
    timeZone: request.schedule.timeZone,
    quiet: request.quiet,
    createdAt: now,
    createdBy: context.user.id,
    ...(request.topic === undefined ? {} : { topic: request.topic }),
  });
  // A command from the chat proves the bot can reach it again: clear an old block, or the new
  // subscription would be stopped at its first slot.
  deps.store.unblockChat(chat.platform, chat.id);
  const next = deps.digests.nextSlotFor(sub, now);
  const about = request.topic === undefined ? '' : ` about ${request.topic.label}`;
  return reply({
    kind: 'notice',
    title: `Subscribed: a digest${about} ${describeSchedule(request.schedule)} (${request.schedule.timeZone}).`,
    summary: `Next digest: ${next === undefined ? 'unknown' : formatInZone(next, request.schedule.timeZone)}. It covers what is new from now on.`,
    sections: [
      {
        label: 'Details',
        lines: [
          line(`Subscription #${sub.id}`),
          line(
            request.quiet === 'skip'
              ? 'When nothing is new, no message is sent.'
              : `When nothing is new, a one-line note is sent (add "${ONLY_NEW_FLAG}" to /subscribe to skip it).`,
          ),
          line(`To stop it: /unsubscribe ${sub.id}`),
        ],
      },
    ],
    actions: [
      { label: 'Unsubscribe', command: `/unsubscribe ${sub.id}` },
      { label: 'Digest now', command: '/digest' },
    ],
  });
}

function unsubscribe(deps: SubscriptionCommandDeps, text: string, context: CommandContext): Reply {
  const { chat, now } = context;
  const subs = deps.store.subscriptionsForChat(chat.platform, chat.id);
  const arg = text.trim().toLowerCase().replace(/^#/, '');
  if (subs.length === 0) {
    return reply({ kind: 'notice', title: 'This chat has no digest subscriptions.', summary: 'Moderators can start one with /subscribe daily 08:00.' });
  }
  let targets: Subscription[];
  if (arg === 'all') targets = subs;
  else if (arg === '') {
    if (subs.length > 1) {
      throw new UserFacingError(
        `This chat has ${subs.length} subscriptions: say which one, or "all".`,
        [...subs.slice(0, 5).map((s) => `/unsubscribe ${s.id} (${describeWhen(deps, s)})`), '/unsubscribe all'],
      );
    }
    targets = subs;
  } else if (/^\d{1,12}$/.test(arg)) {
    const found = subs.find((s) => s.id === Number(arg));
    if (found === undefined) {
      throw new UserFacingError(`This chat has no subscription #${arg}.`, [...subs.slice(0, 5).map((s) => `/unsubscribe ${s.id}`), '/subscriptions']);
    }
    targets = [found];
  } else {
    throw new UserFacingError(`“${echo(text, 30)}” is not a subscription number.`, ['/unsubscribe 3', '/unsubscribe all', '/subscriptions']);
  }
  for (const s of targets) deps.store.removeSubscription(s.id, now);
  return reply({
    kind: 'notice',
    title: targets.length === 1 ? `Unsubscribed from digest #${targets[0]?.id}.` : `Unsubscribed from ${targets.length} digests.`,
    summary: 'No more scheduled digests will be sent for it. /digest still works any time.',
  });
}

function listSubscriptions(deps: SubscriptionCommandDeps, context: CommandContext): Reply {
  const subs = deps.store.subscriptionsForChat(context.chat.platform, context.chat.id);
  if (subs.length === 0) {
    return reply({
      kind: 'notice',
      title: 'This chat has no digest subscriptions.',
      summary: 'Moderators can start one with /subscribe, e.g. /subscribe daily 08:00 Asia/Kabul.',
      suggestions: [{ label: '/subscribe daily 08:00', command: '/subscribe daily 08:00' }],
    });
  }
  return reply({
    kind: 'answer',
    title: `Digest subscriptions of this chat (${subs.length})`,
    sections: [{ label: 'Subscriptions', lines: subs.map((s) => describeSubscription(deps, s, context.now)) }],
    actions: [{ label: 'Digest now', command: '/digest' }],
  });
}

/**
 * The four digest commands.
 *
 * @example
 * const commands = createCommandSet({ knowledge, extra: subscriptionCommands({ store, digests, knowledge, defaultTimeZone: 'Asia/Kabul' }) });
 */
export function subscriptionCommands(deps: SubscriptionCommandDeps): CommandDefinition[] {
  return [
    {
      name: 'subscribe',
      description: 'Get a scheduled digest of what is new in this chat (moderators)',
      options: [
        { name: 'when', description: 'daily 08:00, weekdays 18:00, weekly mon 09:00, every 6h, or cron (default daily 08:00)', required: false },
        { name: 'timezone', description: `An IANA time zone such as Asia/Kabul (default ${deps.defaultTimeZone})`, required: false },
        { name: 'topic', description: 'Only news about this person, place or organisation', required: false, autocomplete: ['person', 'place', 'organisation'] },
      ],
      usage: '/subscribe [when] [timezone] [only-new] [topic]',
      examples: ['/subscribe daily 08:00 Asia/Kabul', '/subscribe weekdays 18:00 Europe/Dublin', '/subscribe every 6h massoud', '/subscribe 0 8 * * 1-5'],
      moderatorOnly: true,
      run: (input, context) => subscribe(deps, input.text, context),
    },
    {
      name: 'unsubscribe',
      description: 'Stop a scheduled digest in this chat (moderators)',
      options: [{ name: 'subscription', description: 'The number /subscriptions shows, or "all"', required: false }],
      usage: '/unsubscribe [number|all]',
      examples: ['/unsubscribe 3', '/unsubscribe all'],
      moderatorOnly: true,
      run: (input, context) => unsubscribe(deps, input.text, context),
    },
    {
      name: 'subscriptions',
      description: "This chat's scheduled digests and when the next one comes",
      options: [],
      usage: '/subscriptions',
      examples: ['/subscriptions'],
      run: (_input, context) => listSubscriptions(deps, context),
    },
    {
      name: 'digest',
      description: "This chat's digest now: what is new since the last one",
      options: [{ name: 'topic', description: 'Only news about this person, place or organisation', required: false, autocomplete: ['person', 'place', 'organisation'] }],
      usage: '/digest [topic]',
      examples: ['/digest', '/digest massoud'],
      run: (input, context) => {
        const topic = resolveTopic(deps.knowledge, input.text);
        return deps.digests.digestFor(context.chat, context.now, topic);
      },
    },
  ];
}
