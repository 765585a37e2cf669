import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonParam, pushJsonParam } from '../../../src/store/upsert/json-param.ts';

describe('pushJsonParam', () => {
  it('passes a small document as one bytea parameter numbered after the existing ones', () => {
    const values: unknown[] = ['earlier'];
    const sql = pushJsonParam(values, jsonParam('[{"a":1}]'));
    assert.equal(sql, '$2::bytea');
    assert.deepEqual(
      values.slice(1).map((value) => (value as Buffer).toString('utf8')),
      ['[{"a":1}]'],
    );
  });

  it('passes an empty document as one parameter', () => {
    const values: unknown[] = [];
    assert.equal(pushJsonParam(values, jsonParam('')), '$1::bytea');
    assert.equal(values.length, 1);
  });

  it('splits a large document into pieces of at most 64 KiB that join back to the same bytes', () => {
    const document = jsonParam(JSON.stringify(['ёж😀'.repeat(20_000)]));
    const values: unknown[] = [];
    const sql = pushJsonParam(values, document);
    const pieces = values as Buffer[];
    assert.equal(pieces.length, Math.ceil(document.length / (64 * 1024)));
    assert.ok(pieces.length > 1);
    assert.ok(pieces.every((piece) => piece.length <= 64 * 1024));
    assert.ok(Buffer.concat(pieces).equals(document));
    assert.equal(sql, `(${pieces.map((_, index) => `$${index + 1}::bytea`).join(' || ')})`);
  });
});
