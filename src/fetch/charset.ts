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
    return { text: decoder.decode(bytes), charset: decoder.encoding };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), charset: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), charset: 'windows-1252' };
  }
}
