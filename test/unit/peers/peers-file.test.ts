import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_ACCOUNTS, parsePeersFile } from '../../../src/peers/peers-file.ts';

describe('parsePeersFile', () => {
  it('reads one peer per line with comments, reporting bad lines by number and keeping the rest', () => {
    const file = parsePeersFile('peers.txt', ['# my peers', '@alpha_one', '', 'https://t.me/beta_two  # work', 't.me/+15550001', '-1001234567890', '@alpha_one'].join('\n'));
    assert.deepEqual(
      file.entries.map((entry) => [entry.line, entry.spec.normalized, entry.account]),
      [
        [2, 'username:alpha_one', ALL_ACCOUNTS],
        [4, 'username:beta_two', ALL_ACCOUNTS],
        [6, 'id:channel:1234567890', ALL_ACCOUNTS],
      ],
    );
    assert.equal(file.problems.length, 1);
    assert.deepEqual([file.problems[0]?.file, file.problems[0]?.line, file.problems[0]?.input], ['peers.txt', 5, 't.me/+15550001']);
    assert.match(file.problems[0]?.reason ?? '', /phone number/);
  });

  it('collapses the same peer written two ways', () => {
    const file = parsePeersFile('peers.txt', '@Gamma_three\nhttps://t.me/gamma_three\ntg://resolve?domain=GAMMA_THREE');
    assert.equal(file.entries.length, 1);
    assert.equal(file.entries[0]?.input, '@Gamma_three');
  });

  it('reads a YAML list of names and numeric ids', () => {
    const file = parsePeersFile('peers.yaml', '# comment\n- "@delta_four"\n- -1001234567890\n- bad peer!\n');
    assert.deepEqual(file.entries.map((entry) => [entry.line, entry.spec.normalized]), [
      [2, 'username:delta_four'],
      [3, 'id:channel:1234567890'],
    ]);
    assert.deepEqual(file.problems.map((problem) => [problem.line, problem.input]), [[4, 'bad peer!']]);
  });

  it('reads a per-account map in YAML and JSON', () => {
    const yaml = parsePeersFile('peers.yml', 'work:\n  - "@epsilon_5"\n"*":\n  - "@zeta_six"\n');
    assert.deepEqual(yaml.entries.map((entry) => [entry.account, entry.spec.normalized]), [
      ['work', 'username:epsilon_5'],
      [ALL_ACCOUNTS, 'username:zeta_six'],
    ]);
    const json = parsePeersFile('peers.json', '{"home": ["@eta_seven", 42]}');
    assert.deepEqual(json.entries.map((entry) => [entry.account, entry.spec.normalized]), [
      ['home', 'username:eta_seven'],
      ['home', 'id:user:42'],
    ]);
  });

  it('reports a structurally wrong file instead of guessing', () => {
    assert.match(parsePeersFile('peers.json', '{"home": "@eta_seven"}').problems[0]?.reason ?? '', /must be a list/);
    assert.match(parsePeersFile('peers.json', '[1, {"x": 1}]').problems[0]?.reason ?? '', /single value/);
    assert.match(parsePeersFile('peers.yaml', 'a: [1\n').problems[0]?.reason ?? '', /not valid YAML/);
    assert.match(parsePeersFile('peers.json', '"@x"').problems[0]?.reason ?? '', /must be a list/);
  });
});
