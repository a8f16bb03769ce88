import { Readable } from 'node:stream';

import type { FastifyReply } from 'fastify';

/**
 * CSV for spreadsheet users: RFC 4180 quoting, and cells that a spreadsheet would run as a formula
 * (leading = + - @ tab CR) are prefixed with a quote so an exported value can't become a command.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = isPrimitive(value) ? String(value) : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isPrimitive(value: unknown): value is string | number | boolean | bigint {
  return ['string', 'number', 'boolean', 'bigint'].includes(typeof value);
}

export function csvLine(values: readonly unknown[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}

/** Streams header + rows as CSV text, a page at a time. */
export async function* csvStream<T>(columns: readonly (keyof T & string)[], rows: AsyncIterable<T>): AsyncGenerator<string> {
  yield csvLine(columns);
  for await (const row of rows) yield csvLine(columns.map((c) => row[c]));
}

/** Answers with a CSV download named `odin-<name>-<date>.csv`, streamed row by row. */
export function sendCsv<T>(
  reply: FastifyReply,
  name: string,
  columns: readonly (keyof T & string)[],
  rows: AsyncIterable<T> | Iterable<T>,
): FastifyReply {
  const stamp = new Date().toISOString().slice(0, 10);
  const source = Symbol.asyncIterator in rows ? rows : Readable.from(rows);
  reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="odin-${name}-${stamp}.csv"`);
  return reply.send(Readable.from(csvStream(columns, source as AsyncIterable<T>)));
}
