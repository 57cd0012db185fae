import { describe, expect, it } from 'vitest';
import { REPLY_LIMITS, reply } from '../../src/replies/reply.js';

describe('building a reply', () => {
  it('fills every collection a command leaves out', () => {
    expect(reply({ kind: 'notice', title: 'Subscribed.' })).toEqual({
      kind: 'notice',
      title: 'Subscribed.',
      sections: [],
      quotes: [],
      citations: [],
      suggestions: [],
      actions: [],
    });
  });

  it('keeps follow-ups whole up to what the router runs, counting characters, and leaves out longer ones', () => {
    const fits = { label: 'fits', command: `/search ${'ب'.repeat(REPLY_LIMITS.actionCommandChars - 8)}` };
    const tooLong = { label: 'too long', command: `${fits.command}x` };
    // Far over Telegram's 64 bytes: an adapter keeps it under a key, the model keeps it whole.
    expect(Buffer.byteLength(fits.command)).toBeGreaterThan(64);
    const r = reply({ kind: 'answer', title: 't', actions: [fits, tooLong], suggestions: [tooLong, fits] });
    expect(r.actions).toEqual([fits]);
    expect(r.suggestions).toEqual([fits]);
  });
});
