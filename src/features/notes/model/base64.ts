/**
 * Base64 of bytes, and text ↔ bytes with an explicit charset.
 *
 * `btoa(text)` is wrong for notes: it accepts only Latin-1 code points and throws on "患者" (and would encode
 * "Ö" as one byte, not UTF-8's two). FHIR `Attachment.data` is base64 of the document's bytes
 * (http://hl7.org/fhir/R4/datatypes.html#base64Binary), and we declare those bytes to be UTF-8.
 */

// Chunked so that String.fromCharCode's argument list stays far below engine limits for long notes.
const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  // `binary` holds one char per byte (0–255): exactly what btoa encodes correctly.
  return btoa(binary);
}

/** Decodes base64 (whitespace tolerated, as XML-sourced FHIR data may wrap lines); undefined when malformed. */
export function base64ToBytes(base64: string): Uint8Array | undefined {
  try {
    const binary = atob(base64.replace(/\s+/g, ''));
    const bytes = new Uint8Array(binary.length);
    for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
    return bytes;
  } catch {
    return undefined;
  }
}

export function utf8ToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/**
 * Bytes → text in the declared charset (`text/plain; charset=iso-8859-1` → windows-1252 per the WHATWG
 * Encoding Standard). No charset: UTF-8, which US Core requires servers to accept and which is a superset of
 * the ASCII default of RFC 2046. Undefined when the charset is unknown to the browser.
 */
export function decodeBytes(bytes: Uint8Array, charset: string | undefined): string | undefined {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return undefined;
  }
}

/** `text/plain; charset="UTF-8"` → { mediaType: 'text/plain', charset: 'utf-8' } (RFC 9110 §8.3.1). */
export function parseContentType(contentType: string | undefined): {
  mediaType: string;
  charset: string | undefined;
} {
  const [type = '', ...parameters] = (contentType ?? '').split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() === 'charset') {
      charset =
        value
          .trim()
          .replace(/^"(.*)"$/, '$1')
          .toLowerCase() || undefined;
    }
  }
  return { mediaType: type.trim().toLowerCase(), charset };
}
