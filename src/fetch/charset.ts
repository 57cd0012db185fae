/**
 * Turning a response's bytes into text: the charset the server named, else a byte-order mark,
 * else what the document declares (`<meta charset>`, `<?xml encoding?>`), else UTF-8 — and
 * windows-1252 when the bytes are not valid UTF-8 (what browsers assume for old Western pages).
 * Decoding uses Node's WHATWG `TextDecoder` (ICU), so every encoding of the Encoding Standard works.
 */

/** The charset parameter of a Content-Type header, lower-cased, if any. */
export function charsetOfContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/iu.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/** The encoding a document declares in its first 1,024 bytes (HTML meta or XML declaration). */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w:.-]+)/iu.exec(head);
  if (meta?.[1]) return meta[1].toLowerCase();
  const xml = /<\?xml[^>]+encoding\s*=\s*["']([\w:.-]+)["']/iu.exec(head);
  return xml?.[1]?.toLowerCase();
}

function bomCharset(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** Code points of windows-1252's 0x80–0x9F (the rest of the byte range is Latin-1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * windows-1252 by table: Node 20's `TextDecoder('windows-1252')` decodes it as ISO-8859-1
 * (0x93 becomes a C1 control instead of “), which would put control characters in articles.
 */
function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const codes = Array.from(bytes.subarray(i, i + 8192), (b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b));
    out += String.fromCharCode(...codes);
  }
  return out;
}

/** Thrown when the named encoding is one `TextDecoder` does not know. */
export class UnsupportedCharsetError extends Error {
  constructor(readonly charset: string) {
    super(`the page is in an encoding Dossier cannot read ("${charset}")`);
    this.name = 'UnsupportedCharsetError';
  }
}

/**
 * Decode a response body.
 *
 * @throws UnsupportedCharsetError for an encoding label the platform does not know
 * @example
 * decodeBody(bytes, 'text/html; charset=ISO-8859-1') // 'café' from 0x63 0x61 0x66 0xe9
 */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): { text: string; charset: string } {
  const named = bomCharset(bytes) ?? charsetOfContentType(contentType) ?? declaredCharset(bytes);
  if (named !== undefined) {
    let decoder: InstanceType<typeof TextDecoder>;
    try {
      decoder = new TextDecoder(named);
    } catch {
      throw new UnsupportedCharsetError(named);
    }
    if (decoder.encoding === 'windows-1252') return { text: decodeWindows1252(bytes), charset: 'windows-1252' };
    return { text: decoder.decode(bytes), charset: decoder.encoding };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), charset: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), charset: 'windows-1252' };
  }
}
