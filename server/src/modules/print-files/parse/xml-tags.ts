/**
 * A tag scanner for the small XML files in a 3MF (`_rels/.rels`, Bambu's `slice_info.config` and
 * `model_settings.config`). Those files keep everything ODIN reads in attributes, so start and end
 * tags with their attributes are all that is needed — no DOM, no DTD, no entity expansion beyond the
 * five predefined entities and character references, and so nothing for a hostile file to exploit.
 */

export interface XmlTag {
  /** Local name, without any namespace prefix. */
  name: string;
  attributes: ReadonlyMap<string, string>;
  kind: 'open' | 'close' | 'empty';
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export function* xmlTags(text: string): Generator<XmlTag> {
  let position = 0;
  for (;;) {
    const start = text.indexOf('<', position);
    if (start < 0) return;
    if (text.startsWith('<!--', start)) {
      position = skipPast(text, '-->', start);
      continue;
    }
    if (text.startsWith('<![CDATA[', start)) {
      position = skipPast(text, ']]>', start);
      continue;
    }
    if (text.startsWith('<?', start)) {
      position = skipPast(text, '?>', start);
      continue;
    }
    const end = tagEnd(text, start + 1);
    if (end < 0) return; // a cut-off last tag carries nothing usable
    position = end + 1;
    if (text[start + 1] === '!') continue; // DOCTYPE and the like
    const closing = text[start + 1] === '/';
    const body = text.slice(closing ? start + 2 : start + 1, end);
    const selfClosing = body.endsWith('/');
    const nameMatch = /^[^\s/>]+/.exec(body);
    if (!nameMatch) continue;
    const attributes = new Map<string, string>();
    if (!closing) {
      for (const match of body.slice(nameMatch[0].length).matchAll(ATTRIBUTE)) {
        attributes.set(localName(match[1] ?? ''), decodeXmlEntities(match[2] ?? match[3] ?? ''));
      }
    }
    yield { name: localName(nameMatch[0]), attributes, kind: closing ? 'close' : selfClosing ? 'empty' : 'open' };
  }
}

function skipPast(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? text.length : at + terminator.length;
}

/** The `>` closing a tag, skipping any inside quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let index = from; index < text.length; index++) {
    const char = text[index];
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === '>') {
      return index;
    }
  }
  return -1;
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code = entity[1] === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[entity] ?? whole;
  });
}
