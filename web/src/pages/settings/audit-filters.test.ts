import { describe, expect, it } from 'vitest';

import { fileNameFrom, NO_FILTERS, rangeIsBackwards, toAuditQuery, toSearchParams } from './audit-filters';

describe('audit log filters', () => {
  it('sends nothing for an empty form', () => {
    expect(toAuditQuery(NO_FILTERS)).toEqual({});
  });

  it('turns a day range into the whole local days, in UTC', () => {
    const query = toAuditQuery({ ...NO_FILTERS, since: '2025-03-01', until: '2025-03-02' });
    expect(new Date(query.since ?? '').getTime()).toBe(new Date(2025, 2, 1, 0, 0, 0, 0).getTime());
    expect(new Date(query.until ?? '').getTime()).toBe(new Date(2025, 2, 2, 23, 59, 59, 999).getTime());
    expect(query.since).toMatch(/Z$/);
  });

  it('passes action, entity, user and search, and skips junk', () => {
    expect(toAuditQuery({ ...NO_FILTERS, action: 'login_failed', entityType: 'user', userId: '7', search: '  10.0.0.5 ' })).toEqual({
      action: 'login_failed',
      entity_type: 'user',
      user_id: 7,
      search: '10.0.0.5',
    });
    expect(toAuditQuery({ ...NO_FILTERS, userId: 'abc', since: '1.3.2025' })).toEqual({});
    expect(toSearchParams({ action: 'create', user_id: 2 }).toString()).toBe('action=create&user_id=2');
  });

  it('notices a range that ends before it starts', () => {
    expect(rangeIsBackwards({ ...NO_FILTERS, since: '2025-03-02', until: '2025-03-01' })).toBe(true);
    expect(rangeIsBackwards({ ...NO_FILTERS, since: '2025-03-01', until: '2025-03-01' })).toBe(false);
  });

  it('names the download as the server suggests', () => {
    expect(fileNameFrom('attachment; filename="odin-audit-log-2025-03-01.csv"')).toBe('odin-audit-log-2025-03-01.csv');
    expect(fileNameFrom(null, new Date('2025-04-02T10:00:00Z'))).toBe('odin-audit-log-2025-04-02.csv');
  });
});
