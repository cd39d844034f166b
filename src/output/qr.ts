/**
 * A QR code for a terminal, drawn with half-block characters (two modules per character cell) so it fits an
 * 80-column screen: a 64-byte SHA512 seed gives a version-9 symbol, 61 columns wide. Dark modules are drawn as
 * spaces on the terminal's light blocks, with the quiet zone the scanners need. The `qr` package loads only here.
 */
export async function terminalQr(text: string): Promise<string> {
  const { encodeQR } = await import('qr');
  return encodeQR(text, 'ascii', { ecc: 'medium', border: 2 });
}

/** The module matrix (true = dark) of the same symbol, for tests that decode it. */
export async function qrMatrix(text: string): Promise<boolean[][]> {
  const { encodeQR } = await import('qr');
  return encodeQR(text, 'raw', { ecc: 'medium', border: 2 });
}
