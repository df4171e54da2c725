import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeBytes, parseContentType, utf8ToBase64 } from './base64.ts';

describe('base64', () => {
  it('encodes bytes as standard base64 (RFC 4648 test vectors)', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    expect(bytesToBase64(bytes(''))).toBe('');
    expect(bytesToBase64(bytes('f'))).toBe('Zg==');
    expect(bytesToBase64(bytes('foobar'))).toBe('Zm9vYmFy');
    expect(utf8ToBase64('°')).toBe('wrA=');
  });

  it('decodes wrapped base64 and rejects malformed input', () => {
    expect(Array.from(base64ToBytes('Zm9v\nYmFy') ?? [])).toEqual(
      Array.from(new TextEncoder().encode('foobar')),
    );
    expect(base64ToBytes('%%%')).toBeUndefined();
  });

  it('decodes text in the declared charset', () => {
    expect(decodeBytes(new Uint8Array([0xd6, 0x64, 0x65, 0x6d]), 'iso-8859-1')).toBe('Ödem');
    expect(decodeBytes(new TextEncoder().encode('患者'), undefined)).toBe('患者');
    expect(decodeBytes(new Uint8Array([0x41]), 'x-no-such-charset')).toBeUndefined();
  });

  it('parses content types with parameters', () => {
    expect(parseContentType('text/plain; charset="UTF-8"')).toEqual({
      mediaType: 'text/plain',
      charset: 'utf-8',
    });
    expect(parseContentType('Application/PDF')).toEqual({ mediaType: 'application/pdf', charset: undefined });
    expect(parseContentType(undefined)).toEqual({ mediaType: '', charset: undefined });
  });
});
