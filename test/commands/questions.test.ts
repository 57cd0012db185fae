import { describe, expect, it } from 'vitest';
import { questionToCommand } from '../../src/commands/questions.js';

describe('plain questions', () => {
  it.each([
    ['who is massoud?', '/who massoud'],
    ["Who's Amrullah Saleh", '/who Amrullah Saleh'],
    ['tell me about the taliban', '/who the taliban'],
    ['where is bazarak', '/where bazarak'],
    ["where's panjshir?", '/where panjshir'],
    ['what did saleh say', '/quote saleh'],
    ['What has Mujahid tweeted?', '/quote Mujahid'],
    ['quotes from nazary', '/quote nazary'],
    ['what happened in panjshir?', '/timeline panjshir'],
    ['timeline', '/timeline'],
    ["what's disputed?", '/claims'],
    ["what's new", '/digest'],
    ['sources', '/sources'],
    ['help', '/help'],
  ])('maps “%s” to %s', (question, command) => {
    expect(questionToCommand(question)).toBe(command);
  });

  it('searches the facts for anything else', () => {
    expect(questionToCommand('soviet armored carcasses?')).toBe('/search soviet armored carcasses');
  });

  it('ignores text without letters or digits', () => {
    expect(questionToCommand('?!…')).toBeNull();
    expect(questionToCommand('   ')).toBeNull();
  });
});
