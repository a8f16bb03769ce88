/**
 * One V8 setting for the way this server allocates, applied before anything else is loaded (main.ts
 * imports this module first).
 *
 * A live fleet makes a steady stream of short-lived objects — every printer message is parsed,
 * normalised, diffed and fanned out, and the result is dropped within a second — but its start is
 * different: while hundreds of printers connect, their first states, sessions and socket buffers
 * all stay alive. V8's allocation-site pretenuring watches survival per allocation site during
 * those first scavenges, decides that sites such as the drivers' normalise functions, Node's
 * stream write path and the HTTP client allocate long-lived objects, and from then on allocates
 * their objects straight in the old generation. There they die an instant later but are freed only
 * by a full mark-sweep, and V8 gets no new survival feedback for objects it no longer puts in the
 * young generation, so the decision sticks. With 1,000 printers that was ~2.5 MB/s of old-generation
 * garbage, the heap grew by ~100 MB between full collections and RSS peaked well above 300 MB,
 * although the live heap stayed under 70 MB. Without pretenuring these objects die in the nursery,
 * where collecting garbage costs nothing, and the heap stays flat (the fleet bench's run 3 shows
 * both: RSS and server CPU went down).
 *
 * Whoever starts node with an explicit `--allocation-site-pretenuring` keeps their choice.
 */
import { setFlagsFromString } from 'node:v8';

const explicit = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].some((arg) =>
  arg.includes('allocation-site-pretenuring'),
);
if (!explicit) setFlagsFromString('--no-allocation-site-pretenuring');
