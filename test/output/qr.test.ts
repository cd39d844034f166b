import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it, test } from 'node:test';
import { decodeQR } from 'qr/decode.js';
import { qrMatrix, terminalQr } from '../../src/output/qr.js';
import { tempDir } from '../support/cli.js';

/** Reads the half-block drawing back into modules: a full block or upper half is light on top, and so on. */
export function matrixFromTerminal(text: string): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of text.split('\n').filter((l) => l.length > 0)) {
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const ch of line) {
      // Light is drawn, dark is blank: '█' both light, '▀' top light, '▄' bottom light, ' ' both dark.
      top.push(!(ch === '█' || ch === '▀'));
      bottom.push(!(ch === '█' || ch === '▄'));
    }
    rows.push(top, bottom);
  }
  return rows;
}

/** A grayscale image of the modules, `scale` pixels each, with a white margin, as RGB bytes. */
function toImage(matrix: boolean[][], scale = 4, margin = 8): { width: number; height: number; data: Uint8Array; gray: Uint8Array } {
  const size = matrix.length;
  const width = (matrix[0]?.length ?? 0) * scale + 2 * margin;
  const height = size * scale + 2 * margin;
  const gray = new Uint8Array(width * height).fill(255);
  matrix.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (!dark) return;
      for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) gray[(margin + y * scale + dy) * width + margin + x * scale + dx] = 0;
    }),
  );
  const data = new Uint8Array(width * height * 3);
  gray.forEach((v, i) => data.fill(v, i * 3, i * 3 + 3));
  return { width, height, data, gray };
}

const URIS = [
  'otpauth://totp/agentsec:alice?secret=JBSWY3DPEHPK3PXP&issuer=agentsec',
  // The longest agentsec makes: a 64-byte SHA512 seed, long issuer and user.
  `otpauth://totp/ACME%20agents%20platform:${'u'.repeat(60)}%40example.com?secret=${'A'.repeat(103)}&issuer=ACME%20agents%20platform&algorithm=SHA512&digits=8&period=60`,
];

test('the terminal drawing decodes back to the exact URI and fits 80 columns', async () => {
  for (const uri of URIS) {
    const text = await terminalQr(uri);
    const widest = Math.max(...text.split('\n').map((l) => [...l].length));
    assert.ok(widest <= 80, `width ${widest}`);
    const fromText = matrixFromTerminal(text);
    const matrix = await qrMatrix(uri);
    // The drawing holds the same modules (an odd row count gets one padding row).
    assert.deepEqual(fromText.slice(0, matrix.length), matrix);
    assert.equal(decodeQR(toImage(fromText)), uri);
  }
});

const HAVE_ZBAR = spawnSync('sh', ['-c', 'command -v zbarimg'], { encoding: 'utf8' }).status === 0;
const tmp = tempDir('agentsec-qr-');
after(() => tmp.cleanup());

describe('the QR code against zbarimg', { skip: HAVE_ZBAR ? false : 'zbarimg not installed (apt-get install zbar-tools): independent QR decode skipped' }, () => {
  it('zbarimg reads the terminal drawing as the same URI', async () => {
    for (const [i, uri] of URIS.entries()) {
      const img = toImage(matrixFromTerminal(await terminalQr(uri)));
      const file = join(tmp.dir, `qr${i}.pgm`);
      writeFileSync(file, Buffer.concat([Buffer.from(`P5\n${img.width} ${img.height}\n255\n`), Buffer.from(img.gray)]));
      const r = spawnSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), uri);
    }
  });
});
