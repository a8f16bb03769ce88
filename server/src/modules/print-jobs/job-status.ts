import { type Static, Type } from 'typebox';

/** Where a print stands (print_jobs.status): under way, or how it ended. */
export const JOB_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export const JobStatusSchema = Type.Enum(JOB_STATUSES);
export type JobStatus = Static<typeof JobStatusSchema>;

export function isJobStatus(value: unknown): value is JobStatus {
  return (JOB_STATUSES as readonly unknown[]).includes(value);
}

/** A status read from the database; only the job tracker writes the column, so anything else is a bug worth seeing. */
export function toJobStatus(value: string): JobStatus {
  if (isJobStatus(value)) return value;
  throw new Error(`print_jobs.status holds an unknown status: ${JSON.stringify(value)}`);
}
