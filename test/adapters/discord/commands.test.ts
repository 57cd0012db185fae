import { describe, expect, it } from 'vitest';
import { CommandDefinitionError, toApplicationCommands } from '../../../src/adapters/discord/commands.js';
import { createCommandSet } from '../../../src/commands/index.js';
import type { CommandDefinition } from '../../../src/commands/types.js';
import { commandProblems } from '../../fakes/discord-limits.js';
import { commandSet } from './harness.js';

const noKnowledge = () => {
  throw new Error('not needed to describe commands');
};

describe('toApplicationCommands', () => {
  it('turns the real command set into valid Discord slash commands', () => {
    const commands = toApplicationCommands(createCommandSet({ knowledge: noKnowledge }));
    expect(commandProblems(commands)).toEqual([]);
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(['who', 'where', 'quote', 'timeline', 'claims', 'search', 'sources', 'help']));
    const who = commands.find((c) => c.name === 'who');
    expect(who?.options).toEqual([expect.objectContaining({ type: 3, name: 'name', required: true, autocomplete: true })]);
    for (const name of ['timeline', 'claims']) {
      const optional = commands.find((c) => c.name === name);
      expect(optional?.options).toEqual([expect.objectContaining({ type: 3, name: 'topic', required: false, autocomplete: true })]);
    }
    const search = commands.find((c) => c.name === 'search');
    expect(search?.options?.[0]).not.toHaveProperty('autocomplete');
  });

  it('keeps the real commands valid next to the test commands the other tests add', () => {
    expect(commandProblems(toApplicationCommands(commandSet()))).toEqual([]);
  });

  it('limits moderator-only commands to Manage Channels by default, and offers commands in servers and DMs', () => {
    const commands = toApplicationCommands(commandSet());
    expect(commands.find((c) => c.name === 'modonly')?.default_member_permissions).toBe('16');
    expect(commands.find((c) => c.name === 'who')?.default_member_permissions).toBeNull();
    expect(commands.find((c) => c.name === 'who')?.contexts).toEqual([0, 1]);
  });

  it('leaves out hidden commands, which only buttons reach', () => {
    const definitions = commandSet();
    expect(definitions.some((d) => d.name === 'secret' && d.hidden === true)).toBe(true);
    expect(toApplicationCommands(definitions).map((c) => c.name)).not.toContain('secret');
  });

  it('puts required options first, as Discord requires, and shortens descriptions to 100 characters', () => {
    const definition: CommandDefinition = {
      name: 'x',
      description: 'd'.repeat(150),
      options: [
        { name: 'optional', description: 'o', required: false },
        { name: 'needed', description: 'n', required: true },
      ],
      usage: '/x',
      examples: [],
      run: () => ({ kind: 'notice', title: 'x', sections: [], quotes: [], citations: [], suggestions: [], actions: [] }),
    };
    const [command] = toApplicationCommands([definition]);
    expect(command?.options?.map((o) => o.name)).toEqual(['needed', 'optional']);
    expect(command?.description.length).toBeLessThanOrEqual(100);
    expect(commandProblems(command === undefined ? [] : [command])).toEqual([]);
  });

  it('refuses a name Discord would reject, saying which', () => {
    const bad = { ...commandSet()[0]!, name: 'Who Is' };
    expect(() => toApplicationCommands([bad])).toThrow(CommandDefinitionError);
    expect(() => toApplicationCommands([bad])).toThrow('"Who Is"');
  });
});
