/**
 * Reading what the bot sent to Slack the way a person reads it: a section field's label and value,
 * the lines of the mrkdwn sections. Assertions on these cannot be satisfied by a timestamp or an id
 * that happens to contain the expected digits somewhere in the JSON.
 */

interface Block {
  type?: string;
  text?: { type?: string; text?: string };
  fields?: { type?: string; text?: string }[];
}

/** Section fields, rendered `*label*\nvalue`: label → value (the first field with a label wins). */
export function sectionFields(blocks: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const block of (Array.isArray(blocks) ? blocks : []) as Block[]) {
    if (block.type !== 'section') continue;
    for (const field of block.fields ?? []) {
      const m = /^\*([^*]+)\*\n([\s\S]*)$/.exec(field.text ?? '');
      if (m && !(m[1]! in out)) out[m[1]!] = m[2]!;
    }
  }
  return out;
}

/** Every line of every section's mrkdwn text, in order (status rows, on-call list entries). */
export function sectionLines(blocks: unknown): string[] {
  return ((Array.isArray(blocks) ? blocks : []) as Block[])
    .filter((b) => b.type === 'section' && typeof b.text?.text === 'string')
    .flatMap((b) => b.text!.text!.split('\n'));
}

/** The blocks of a response_url post or a stored message (both carry `blocks`). */
export function blocksOf(message: unknown): unknown[] {
  const blocks = (message as { blocks?: unknown } | undefined)?.blocks;
  return Array.isArray(blocks) ? blocks : [];
}
