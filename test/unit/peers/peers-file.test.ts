import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeersFileError } from '../../../src/peers/peers-file-error.ts';
import { ALL_ACCOUNTS, parsePeersFile, readPeersFileBytes } from '../../../src/peers/peers-file.ts';

describe('parsePeersFile', () => {
  it('reads one peer per line with comments, reporting bad lines by number and keeping the rest', () => {
    const file = parsePeersFile(
      'peers.txt',
      [
        '# my peers',
        '@alpha_one',
        '',
        'https://t.me/beta_two  # work',
        't.me/+15550001',
        '-1001234567890',
        '@alpha_one',
      ].join('\n'),
    );
    assert.deepEqual(
      file.entries.map((entry) => [entry.line, entry.spec.normalized, entry.account]),
      [
        [2, 'username:alpha_one', ALL_ACCOUNTS],
        [4, 'username:beta_two', ALL_ACCOUNTS],
        [6, 'id:channel:1234567890', ALL_ACCOUNTS],
      ],
    );
    assert.equal(file.problems.length, 1);
    assert.deepEqual(
      [file.problems[0]?.file, file.problems[0]?.line, file.problems[0]?.input],
      ['peers.txt', 5, 't.me/+15550001'],
    );
    assert.match(file.problems[0]?.reason ?? '', /phone number/);
  });

  it('collapses the same peer written two ways', () => {
    const file = parsePeersFile('peers.txt', '@Gamma_three\nhttps://t.me/gamma_three\ntg://resolve?domain=GAMMA_THREE');
    assert.equal(file.entries.length, 1);
    assert.equal(file.entries[0]?.input, '@Gamma_three');
  });

  it('reads a YAML list of names and numeric ids', () => {
    const file = parsePeersFile('peers.yaml', '# comment\n- "@delta_four"\n- -1001234567890\n- bad peer!\n');
    assert.deepEqual(
      file.entries.map((entry) => [entry.line, entry.spec.normalized]),
      [
        [2, 'username:delta_four'],
        [3, 'id:channel:1234567890'],
      ],
    );
    assert.deepEqual(
      file.problems.map((problem) => [problem.line, problem.input]),
      [[4, 'bad peer!']],
    );
  });

  it('reads a per-account map in YAML and JSON', () => {
    const yaml = parsePeersFile('peers.yml', 'work:\n  - "@epsilon_5"\n"*":\n  - "@zeta_six"\n');
    assert.deepEqual(
      yaml.entries.map((entry) => [entry.account, entry.spec.normalized]),
      [
        ['work', 'username:epsilon_5'],
        [ALL_ACCOUNTS, 'username:zeta_six'],
      ],
    );
    const json = parsePeersFile('peers.json', '{"home": ["@eta_seven", 42]}');
    assert.deepEqual(
      json.entries.map((entry) => [entry.account, entry.spec.normalized]),
      [
        ['home', 'username:eta_seven'],
        ['home', 'id:user:42'],
      ],
    );
  });

  it('refuses a structurally wrong or unparseable file as a whole instead of guessing (no peers would disable them all)', () => {
    const refusal = (file: string, text: string) => {
      try {
        parsePeersFile(file, text, 'fix it');
      } catch (error) {
        assert.ok(error instanceof PeersFileError);
        return error.message;
      }
      return assert.fail(`${file} was accepted`);
    };
    assert.match(
      refusal('peers.json', '{"home": "@eta_seven"}'),
      /^peers file peers\.json is not a peers file: line 1: the peers for "home" must be a list; fix it; nothing was changed$/,
    );
    assert.match(
      refusal('peers.yaml', 'a: [1\n'),
      /^peers file peers\.yaml is not valid YAML: line \d+: .+; fix it; nothing was changed$/,
    );
    assert.match(refusal('peers.json', '["@a_peer", '), /is not valid JSON: line 1/);
    assert.match(refusal('peers.json', '"@x"'), /the file must be a list of peers or a map/);
    // A single odd entry is still only that line's problem.
    assert.match(parsePeersFile('peers.json', '[1, {"x": 1}]').problems[0]?.reason ?? '', /single value/);
  });

  it('echoes a bad line printable and cut short (a 10,000-character line, control characters)', () => {
    const file = parsePeersFile('peers.txt', `${'z'.repeat(10_000)}\nbad\u009b\u202e peer`);
    assert.equal(file.problems.length, 2);
    for (const problem of file.problems) {
      assert.ok(problem.input.length <= 120, `input of ${problem.input.length} characters`);
      assert.ok(problem.reason.length <= 200, `reason of ${problem.reason.length} characters`);
      assert.doesNotMatch(problem.input + problem.reason, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    }
    assert.match(file.problems[0]!.input, /^z{80}… \(10000 characters\)$/);
    assert.equal(file.problems[1]!.input, 'bad\\x9b\\u202e peer');
  });
});

describe('readPeersFileBytes', () => {
  const refusal = (bytes: Uint8Array) => {
    try {
      readPeersFileBytes('peers.txt', bytes, 'restore it');
    } catch (error) {
      assert.ok(error instanceof PeersFileError);
      assert.equal(error.kind, 'peers_file');
      return error.message;
    }
    return assert.fail('accepted');
  };

  it('refuses empty, binary, UTF-16, non-UTF-8 and control-character files, naming where', () => {
    assert.equal(refusal(new Uint8Array()), 'peers file peers.txt is empty (0 bytes); restore it; nothing was changed');
    assert.match(refusal(Buffer.from(' \n\n\t ')), /is empty \(5 bytes of white space\)/);
    assert.match(
      refusal(Buffer.from('@alpha_one\n\u0000\u0001\n15\n')),
      /is not a text file \(a NUL byte at offset 11\)/,
    );
    assert.match(
      refusal(Buffer.from('\ufeff@alpha_one\n', 'utf16le')),
      /a NUL byte at offset 3; it looks like UTF-16: save it as UTF-8/,
    );
    assert.match(
      refusal(Buffer.concat([Buffer.from('@alpha_one\n'), Buffer.from([0xe9, 0x0a])])),
      /is not a text file \(not valid UTF-8 at offset 11\)/,
    );
    assert.match(
      refusal(Buffer.concat([Buffer.from('# café\n'), Buffer.from([0xff])])),
      /not valid UTF-8 at offset 8\)/,
    );
    assert.match(refusal(Buffer.concat([Buffer.from('# ok\n'), Buffer.from([0x80])])), /not valid UTF-8 at offset 5\)/);
    assert.match(
      refusal(Buffer.from('@alpha_one\n@beta_two\u001b[2J\n')),
      /is not a text file \(control character 0x1b on line 2\)/,
    );
    assert.match(refusal(Buffer.from('\u0007')), /control character 0x07 on line 1/);
  });

  it('reads UTF-8 text with a byte-order mark, CRLF line ends, tabs and non-ASCII comments', () => {
    const file = readPeersFileBytes(
      'peers.txt',
      Buffer.from('\ufeff@alpha_one\r\n\t@beta_two # café ☕\r\n'),
      'fix it',
    );
    assert.deepEqual(
      file.entries.map((entry) => entry.spec.normalized),
      ['username:alpha_one', 'username:beta_two'],
    );
    assert.deepEqual(file.problems, []);
  });
});
