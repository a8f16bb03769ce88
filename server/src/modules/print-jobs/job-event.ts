import { type Static, Type } from 'typebox';

import { Nullable } from '../../core/http/nullable.js';
import type { PrintJobEvent } from '../../events.js';
import { JobStatusSchema } from './job-status.js';

/** A print as the job tracker records it (a row of print_jobs): the payload of `job_*` bus events and `/ws` messages. */
export const PrintJobEventSchema = Type.Object({
  id: Type.Integer(),
  printer_id: Type.Integer(),
  job_id: Nullable(Type.String()),
  filename: Nullable(Type.String()),
  status: JobStatusSchema,
  started_at: Type.String(),
  ended_at: Nullable(Type.String()),
  progress_percent: Nullable(Type.Number()),
  current_layer: Nullable(Type.Integer()),
  total_layers: Nullable(Type.Integer()),
  error_code: Nullable(Type.String()),
  error_message: Nullable(Type.String()),
});

/**
 * The bus declares PrintJobEvent as an interface; this fails to compile the moment the two
 * disagree, so the `/ws` schema never describes something the server does not send.
 */
export type PrintJobEventMatchesSchema = Assert<Same<Static<typeof PrintJobEventSchema>, PrintJobEvent>>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
