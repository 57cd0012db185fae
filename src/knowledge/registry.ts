/**
 * The curated entity registry (`<storyDir>/registry.yaml`): who and what the story is about,
 * with stable ids, aliases, a one-line description and typed links, each backed by evidence
 * that must be an exact quotation of one of the story's articles.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Citation, EntityId, LinkRelation, SourceId } from './model.js';
import { escapeRegExp } from './text.js';

export const LINK_RELATIONS = [
  'son-of',
  'father-of',
  'capital-of',
  'district-of',
  'in',
  'borders',
  'leads',
  'member-of',
  'spokesman-for',
  'adviser-to',
  'founded',
] as const satisfies readonly LinkRelation[];

const evidenceSchema = z.object({
  source: z.string().min(1, 'must name the article (file name without .txt)'),
  text: z.string().min(3, 'must quote the supporting words of the article exactly'),
});

const linkSchema = z.object({
  relation: z.enum(LINK_RELATIONS, { error: `must be one of: ${LINK_RELATIONS.join(', ')}` }),
  target: z.string().min(1, 'must name the id of another entity'),
  evidence: evidenceSchema,
});

const entitySchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/u, 'must be kebab-case (lower-case words joined by "-")'),
  type: z.enum(['person', 'place', 'organisation'], { error: 'must be person, place or organisation' }),
  label: z.string().trim().min(1, 'must not be empty'),
  aliases: z.array(z.string().trim().min(1, 'aliases must not be empty strings')).default([]),
  role: z.string().trim().min(1).optional(),
  description: z.string().trim().min(1, 'must not be empty'),
  evidence: evidenceSchema,
  links: z.array(linkSchema).default([]),
});

const registrySchema = z.object({ entities: z.array(entitySchema).min(1, 'must list at least one entity') });

export type RegistryEvidence = z.infer<typeof evidenceSchema>;
export type RegistryLink = z.infer<typeof linkSchema>;
export type RegistryEntity = z.infer<typeof entitySchema>;

/** A validated registry and the file it came from (for error messages). */
export interface Registry {
  file: string;
  entities: RegistryEntity[];
}

/** Thrown for an invalid registry; the message names the file, the entity id and the field. */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly entityId?: string,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

function entityLabelAt(data: unknown, index: number): string {
  const entities = (data as { entities?: unknown } | null)?.entities;
  const entity = Array.isArray(entities) ? (entities[index] as { id?: unknown } | undefined) : undefined;
  return typeof entity?.id === 'string' ? `entity "${entity.id}"` : `entity #${index + 1}`;
}

/**
 * Validates registry data (already parsed from YAML). Checks the schema, that ids are unique
 * and that every link points at an existing entity.
 *
 * @example
 * const registry = parseRegistry(parseYaml(text), 'data/stories/panjshir/registry.yaml');
 */
export function parseRegistry(data: unknown, file: string): Registry {
  const result = registrySchema.safeParse(data ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const [top, index, ...rest] = issue.path;
      if (top === 'entities' && typeof index === 'number') {
        const field = rest.join('.') || '(entity)';
        const missing = issue.code === 'invalid_type' && /received undefined/u.test(issue.message);
        return `${entityLabelAt(data, index)}: field "${field}" ${missing ? 'is missing' : issue.message}`;
      }
      return `field "${issue.path.join('.') || 'entities'}": ${issue.message}`;
    });
    throw new RegistryError(`${file}: invalid registry: ${problems.join('; ')}`, file);
  }
  const entities = result.data.entities;
  const ids = new Set<EntityId>();
  for (const entity of entities) {
    if (ids.has(entity.id)) {
      throw new RegistryError(`${file}: entity "${entity.id}": field "id" is used twice`, file, entity.id);
    }
    ids.add(entity.id);
  }
  for (const entity of entities) {
    entity.links.forEach((link, i) => {
      if (!ids.has(link.target)) {
        throw new RegistryError(
          `${file}: entity "${entity.id}": field "links.${i}.target" names "${link.target}", which is not an entity id`,
          file,
          entity.id,
        );
      }
    });
  }
  return { file, entities };
}

/** Reads and validates `registry.yaml`. */
export function loadRegistry(file: string): Registry {
  if (!existsSync(file)) throw new RegistryError(`${file}: registry file is missing`, file);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RegistryError(`${file}: not valid YAML: ${(err as Error).message}`, file);
  }
  return parseRegistry(data, file);
}

/**
 * Turns registry evidence into a citation by finding its exact text in the article
 * (whitespace may differ: runs of spaces and line breaks match each other). Throws a
 * {@link RegistryError} naming the entity and field when the article or the text is not found.
 */
export function resolveEvidence(
  evidence: RegistryEvidence,
  articles: ReadonlyMap<SourceId, string>,
  where: { file: string; entityId: EntityId; field: string },
): Citation {
  const raw = articles.get(evidence.source);
  const prefix = `${where.file}: entity "${where.entityId}": field "${where.field}"`;
  if (raw === undefined) {
    throw new RegistryError(`${prefix}: names article "${evidence.source}", which does not exist`, where.file, where.entityId);
  }
  const pattern = evidence.text
    .trim()
    .split(/\s+/u)
    .map(escapeRegExp)
    .join('\\s+');
  const match = new RegExp(pattern, 'u').exec(raw);
  if (!match) {
    throw new RegistryError(
      `${prefix}: text "${evidence.text}" was not found in article "${evidence.source}" (it must be copied exactly)`,
      where.file,
      where.entityId,
    );
  }
  return { sourceId: evidence.source, start: match.index, end: match.index + match[0].length, text: match[0] };
}
