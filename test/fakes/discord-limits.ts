/**
 * Discord's documented limits on messages, autocomplete answers and application commands, as
 * the fake Discord enforces them: what Discord would reject with 400 "Invalid Form Body" (50035),
 * the fake rejects too, so a test that passes cannot hide an oversized embed.
 */

/** One broken rule, e.g. `embeds[0].fields[3].value: 1100 > 1024`. */
export type LimitProblem = string;

interface EmbedLike {
  title?: string;
  description?: string;
  url?: string;
  footer?: { text?: string };
  author?: { name?: string };
  fields?: Array<{ name?: string; value?: string; inline?: boolean }>;
}

interface ComponentLike {
  type?: number;
  custom_id?: string;
  label?: string;
  url?: string;
  components?: ComponentLike[];
}

export interface MessageLike {
  content?: string;
  embeds?: EmbedLike[];
  components?: ComponentLike[];
}

function over(problems: LimitProblem[], where: string, text: string | undefined, max: number, min = 0): void {
  if (text === undefined) return;
  if (text.length > max) problems.push(`${where}: ${text.length} > ${max}`);
  if (text.length < min) problems.push(`${where}: ${text.length} < ${min}`);
}

/**
 * Check a message body (create, edit or interaction callback data) against Discord's limits.
 * Lengths are counted in UTF-16 units, which is never less than Discord's own count.
 */
export function messageProblems(message: MessageLike): LimitProblem[] {
  const problems: LimitProblem[] = [];
  over(problems, 'content', message.content, 2000);
  const embeds = message.embeds ?? [];
  if (embeds.length > 10) problems.push(`embeds: ${embeds.length} > 10`);
  let total = 0;
  embeds.forEach((embed, i) => {
    const at = `embeds[${i}]`;
    over(problems, `${at}.title`, embed.title, 256);
    over(problems, `${at}.description`, embed.description, 4096);
    over(problems, `${at}.footer.text`, embed.footer?.text, 2048);
    over(problems, `${at}.author.name`, embed.author?.name, 256);
    const fields = embed.fields ?? [];
    if (fields.length > 25) problems.push(`${at}.fields: ${fields.length} > 25`);
    fields.forEach((field, j) => {
      over(problems, `${at}.fields[${j}].name`, field.name ?? '', 256, 1);
      over(problems, `${at}.fields[${j}].value`, field.value ?? '', 1024, 1);
      total += (field.name ?? '').length + (field.value ?? '').length;
    });
    total += (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length + (embed.author?.name ?? '').length;
  });
  if (total > 6000) problems.push(`embeds: ${total} characters in total > 6000`);

  const rows = message.components ?? [];
  if (rows.length > 5) problems.push(`components: ${rows.length} rows > 5`);
  const customIds = new Set<string>();
  rows.forEach((row, i) => {
    const children = row.components ?? [];
    if (row.type !== 1) problems.push(`components[${i}]: top-level components must be action rows`);
    if (children.length > 5 || children.length === 0) problems.push(`components[${i}]: ${children.length} buttons (1–5 allowed)`);
    children.forEach((child, j) => {
      const at = `components[${i}].components[${j}]`;
      over(problems, `${at}.label`, child.label, 80);
      if (child.url === undefined) {
        if (child.custom_id === undefined) problems.push(`${at}.custom_id: missing`);
        else {
          over(problems, `${at}.custom_id`, child.custom_id, 100, 1);
          if (customIds.has(child.custom_id)) problems.push(`${at}.custom_id: duplicate "${child.custom_id}"`);
          customIds.add(child.custom_id);
        }
      }
    });
  });
  return problems;
}

/** Autocomplete answers: at most 25 choices, names and values 1–100 characters. */
export function choiceProblems(choices: Array<{ name?: string; value?: unknown }>): LimitProblem[] {
  const problems: LimitProblem[] = [];
  if (choices.length > 25) problems.push(`choices: ${choices.length} > 25`);
  choices.forEach((choice, i) => {
    over(problems, `choices[${i}].name`, choice.name ?? '', 100, 1);
    if (typeof choice.value === 'string') over(problems, `choices[${i}].value`, choice.value, 100, 1);
  });
  return problems;
}

interface CommandLike {
  name?: string;
  description?: string;
  options?: Array<{ name?: string; description?: string; required?: boolean; type?: number }>;
}

const NAME = /^[-_\p{Ll}\p{Lo}\p{N}]{1,32}$/u;

/** Application commands for a bulk overwrite: names, descriptions, option order, counts. */
export function commandProblems(commands: CommandLike[]): LimitProblem[] {
  const problems: LimitProblem[] = [];
  if (commands.length > 100) problems.push(`commands: ${commands.length} > 100`);
  const names = new Set<string>();
  commands.forEach((command, i) => {
    if (!NAME.test(command.name ?? '')) problems.push(`[${i}].name: "${command.name}" is not 1–32 lower-case characters`);
    if (names.has(command.name ?? '')) problems.push(`[${i}].name: duplicate "${command.name}"`);
    names.add(command.name ?? '');
    over(problems, `[${i}].description`, command.description ?? '', 100, 1);
    const options = command.options ?? [];
    if (options.length > 25) problems.push(`[${i}].options: ${options.length} > 25`);
    let sawOptional = false;
    options.forEach((option, j) => {
      if (!NAME.test(option.name ?? '')) problems.push(`[${i}].options[${j}].name: "${option.name}" is not 1–32 lower-case characters`);
      over(problems, `[${i}].options[${j}].description`, option.description ?? '', 100, 1);
      if (option.required === true && sawOptional) problems.push(`[${i}].options[${j}]: required options must come before optional ones`);
      if (option.required !== true) sawOptional = true;
    });
  });
  return problems;
}
