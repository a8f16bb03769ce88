import { describe, expect, it } from 'vitest';

import { pushStatus, ReportFields } from './report-fields.js';

describe('ReportFields', () => {
  it('builds deltas from the changed fields only, in change order', () => {
    const f = new ReportFields();
    f.set('a', 1);
    f.set('b', 'x');
    f.setObject('c', { d: [1, 2] });
    f.clearChanges();
    expect(f.takeDelta()).toBe('');
    f.set('a', 1); // unchanged
    f.set('b', 'y');
    f.set('a', 2);
    expect(f.takeDelta()).toBe('"b":"y","a":2');
    expect(f.takeDelta()).toBe('');
    f.setObject('c', { d: [3] });
    expect(f.takeDelta()).toBe('"c":{"d":[3]}');
  });

  it('all() keeps pending changes; takeFull() covers them', () => {
    const f = new ReportFields();
    f.set('a', 1);
    f.set('b', null);
    f.clearChanges();
    f.set('b', true);
    expect(f.all()).toBe('"a":1,"b":true');
    expect(f.changedCount).toBe(1);
    expect(f.takeFull()).toBe('"a":1,"b":true');
    expect(f.takeDelta()).toBe('');
  });

  it('wraps fields in the push_status envelope of the captures', () => {
    expect(pushStatus('"bed_temper":12', 1, 40942)).toBe(
      '{"print":{"bed_temper":12,"command":"push_status","msg":1,"sequence_id":"40942"}}',
    );
    expect(JSON.parse(pushStatus('', 1, 7))).toEqual({ print: { command: 'push_status', msg: 1, sequence_id: '7' } });
  });
});
