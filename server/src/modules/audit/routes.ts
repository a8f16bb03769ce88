import { type Static, Type } from 'typebox';

import { validationFailed } from '../../core/errors.js';
import { sendCsv } from '../../core/http/csv.js';
import type { OdinApp } from '../../core/http/types.js';
import type { AuditLog, AuditLogFilter, AuditLogRow } from './audit-log.js';

const FilterQuery = {
  action: Type.Optional(Type.String({ maxLength: 64 })),
  entity_type: Type.Optional(Type.String({ maxLength: 64 })),
  user_id: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  until: Type.Optional(Type.String({ format: 'date-time' })),
  search: Type.Optional(Type.String({ maxLength: 200 })),
};
const ListQuery = Type.Object({
  ...FilterQuery,
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 }),
});
const ExportQuery = Type.Object(FilterQuery);

const AuditLogSchema = Type.Object({
  id: Type.Integer(),
  timestamp: Type.String(),
  action: Type.String(),
  entity_type: Type.Union([Type.String(), Type.Null()]),
  entity_id: Type.Union([Type.Integer(), Type.Null()]),
  details: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  ip_address: Type.Union([Type.String(), Type.Null()]),
  user_id: Type.Union([Type.Integer(), Type.Null()]),
  username: Type.Union([Type.String(), Type.Null()]),
});

function toFilter(query: Static<typeof ExportQuery>): AuditLogFilter {
  const iso = (value: string | undefined, name: string) => {
    if (!value) return undefined;
    const time = new Date(value);
    // JSON Schema's date-time admits leap seconds (":60"), which Date cannot represent.
    if (Number.isNaN(time.getTime()))
      throw validationFailed([{ loc: ['querystring', name], msg: `is not a date-time this server can read: ${value}`, type: 'format' }]);
    return time.toISOString();
  };
  return {
    action: query.action,
    entityType: query.entity_type,
    userId: query.user_id,
    since: iso(query.since, 'since'),
    until: iso(query.until, 'until'),
    search: query.search,
  };
}

const CSV_COLUMNS: (keyof AuditLogRow)[] = [
  'id',
  'timestamp',
  'action',
  'entity_type',
  'entity_id',
  'username',
  'user_id',
  'ip_address',
  'details',
];

export function auditRoutes(app: OdinApp, deps: { audit: AuditLog }): void {
  const { audit } = deps;

  app.get(
    '/api/audit-logs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Audit'],
        summary: 'Audit log entries, newest first, with filters',
        querystring: ListQuery,
        response: { 200: Type.Object({ logs: Type.Array(AuditLogSchema), total: Type.Integer() }) },
      },
    },
    (request) => audit.list(toFilter(request.query), request.query.limit, request.query.offset),
  );

  app.get(
    '/api/export/audit-logs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['Export'],
        summary: 'Audit log as CSV (same filters as the list)',
        querystring: ExportQuery,
        produces: ['text/csv'],
      },
    },
    (request, reply) => {
      return sendCsv(reply, 'audit-log', CSV_COLUMNS, audit.stream(toFilter(request.query)));
    },
  );
}
