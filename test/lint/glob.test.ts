import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { componentRegex, expandGlob, isGlob } from '../../src/lint/glob.js';

/** A directory tree as nested objects: a string is a file. */
type Tree = { [name: string]: Tree | string };

function lister(root: Tree): (dir: string) => readonly string[] {
  return (dir) => {
    let node: Tree | string | undefined = root;
    for (const part of dir.split('/').filter((p) => p !== '')) node = typeof node === 'object' ? node[part] : undefined;
    return typeof node === 'object' ? Object.keys(node) : [];
  };
}

describe('include globs', () => {
  const tree: Tree = { srv: { 'conf.d': { 'b.conf': 'x', 'a.conf': 'x', '.hidden.conf': 'x', 'notes.txt': 'x', sub: { 'c.conf': 'x' } }, 'sites-enabled': { one: 'x', two: 'x' } } };
  const list = lister(tree);

  it('tells glob patterns', () => {
    assert.equal(isGlob('conf.d/*.conf'), true);
    assert.equal(isGlob('site-[ab].conf'), true);
    assert.equal(isGlob('proxy.conf'), false);
  });

  it('matches one component: * and ? stay inside it, [..] and [!..] are classes, the rest is literal', () => {
    assert.equal(componentRegex('*.conf').test('a.conf'), true);
    assert.equal(componentRegex('*.conf').test('a.confx'), false);
    assert.equal(componentRegex('*.conf').test('aXconf'), false);
    assert.equal(componentRegex('site-?.conf').test('site-1.conf'), true);
    assert.equal(componentRegex('site-[ab].conf').test('site-b.conf'), true);
    assert.equal(componentRegex('site-[!ab].conf').test('site-b.conf'), false);
    assert.equal(componentRegex('a+(b)').test('a+(b)'), true);
  });

  it('expands in sorted order, without dot files unless the pattern starts with a dot', () => {
    assert.deepEqual(expandGlob('conf.d/*.conf', '/srv', list), ['/srv/conf.d/a.conf', '/srv/conf.d/b.conf']);
    assert.deepEqual(expandGlob('conf.d/.*.conf', '/srv', list), ['/srv/conf.d/.hidden.conf']);
    assert.deepEqual(expandGlob('sites-enabled/*', '/srv', list), ['/srv/sites-enabled/one', '/srv/sites-enabled/two']);
  });

  it('expands wildcards in directory components and stops at the limit', () => {
    assert.deepEqual(expandGlob('*/sub/*.conf', '/srv', list), ['/srv/conf.d/sub/c.conf']);
    assert.deepEqual(expandGlob('conf.d/*', '/srv', list, 2), ['/srv/conf.d/a.conf', '/srv/conf.d/b.conf']);
    assert.deepEqual(expandGlob('missing/*.conf', '/srv', list), []);
    assert.deepEqual(expandGlob('proxy.conf', '/srv', list), []);
  });
});
