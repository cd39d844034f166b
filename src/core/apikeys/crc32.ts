// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib computes it. node:zlib has crc32 only from
// Node 22, and this is a typo/forgery check on a public format, not a cryptographic primitive.
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 of the UTF-8 bytes of an ASCII string (API key parts are ASCII by construction). */
export function crc32Ascii(text: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < text.length; i++) c = (TABLE[(c ^ text.charCodeAt(i)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
