/**
 * Loading a story folder from disk: `story.yaml`, `registry.yaml` and `articles/`.
 *
 *   data/stories/<story>/story.yaml      id, title, description
 *   data/stories/<story>/registry.yaml   the curated entities
 *   data/stories/<story>/articles/       NNN_<hash>.txt + NNN_<hash>.meta.yaml
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadArticles, type Article } from './articles.js';
import { buildKnowledgeBaseWithTrace, storyMetaSchema, type KnowledgeTrace, type StoryMeta } from './build.js';
import type { KnowledgeBase } from './model.js';
import { loadRegistry } from './registry.js';

/** Thrown when `story.yaml` is missing or invalid. */
export class StoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoryError';
  }
}

/** Reads and validates `<storyDir>/story.yaml`. */
export function loadStoryMeta(storyDir: string): StoryMeta {
  const file = join(storyDir, 'story.yaml');
  if (!existsSync(file)) throw new StoryError(`${file}: story file is missing (needs id and title)`);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StoryError(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const result = storyMetaSchema.safeParse(data ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `field "${i.path.join('.') || '(file)'}": ${i.message}`);
    throw new StoryError(`${file}: invalid story: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Loads a story folder and builds its knowledge base, with the intermediate stages. */
export function loadStoryWithTrace(storyDir: string): KnowledgeTrace {
  return buildKnowledgeBaseWithTrace({
    story: loadStoryMeta(storyDir),
    registry: loadRegistry(join(storyDir, 'registry.yaml')),
    articles: loadArticles(storyDir),
  });
}

/**
 * Builds a story's knowledge base from its folder's story.yaml and registry.yaml and articles
 * kept elsewhere (PostgreSQL mode: the database every instance shares).
 *
 * @throws ArticleError, RegistryError or StoryError, each naming the file and field at fault
 * @example
 * const kb = await loadStoryFrom('data/stories/panjshir', postgresArticleStore(url, 'panjshir'));
 */
export async function loadStoryFrom(storyDir: string, articles: { list(): Promise<Article[]> }): Promise<KnowledgeBase> {
  return buildKnowledgeBaseWithTrace({
    story: loadStoryMeta(storyDir),
    registry: loadRegistry(join(storyDir, 'registry.yaml')),
    articles: await articles.list(),
  }).kb;
}

/**
 * Loads a story folder and builds its knowledge base.
 *
 * @throws ArticleError, RegistryError or StoryError, each naming the file and field at fault
 * @example
 * const kb = loadStory('data/stories/panjshir');
 * kb.entities.find((e) => e.id === 'ahmad-massoud')?.description;
 */
export function loadStory(storyDir: string): KnowledgeBase {
  return loadStoryWithTrace(storyDir).kb;
}
