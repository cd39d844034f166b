import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../support/cli.js';

// DESIGN §1: core never imports commands, cli, platform, store, node:fs or process. Checked for the API-key and net domains.
test('core/apikeys and core/net stay pure', () => {
  for (const dir of ['src/core/apikeys', 'src/core/net']) {
    const files = readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts'));
    assert.ok(files.length > 0, dir);
    for (const f of files) {
      const text = readFileSync(join(ROOT, dir, f), 'utf8');
      const imports = [...text.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1] as string);
      for (const i of imports) {
        assert.ok(!/(^|\/)(commands|cli|platform|store|lib)\//.test(i), `${dir}/${f} imports ${i}`);
        assert.ok(!/^(node:)?(fs|fs\/promises|child_process|process)$/.test(i), `${dir}/${f} imports ${i}`);
      }
      assert.ok(!/\bprocess\.(env|cwd|argv|exit|stdout|stderr|stdin)/.test(text), `${dir}/${f} touches process`);
      assert.ok(!/\bconsole\./.test(text), `${dir}/${f} uses console`);
    }
  }
});
