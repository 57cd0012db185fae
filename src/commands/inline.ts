/**
 * Quick answers for a free query without a command: Telegram inline mode (`@bot panjshir`)
 * lists them as results, each carrying the full reply that is sent when picked.
 */
import type { Reply } from '../replies/reply.js';

export interface InlineAnswer {
  /** Stable id, 1–64 bytes (e.g. the entity id, or `q-<quote id>`). */
  id: string;
  title: string;
  /** One line under the title. */
  description: string;
  /** The message sent when the user picks it. */
  reply: Reply;
}
