/**
 * Two V8 settings for the way this server allocates, applied before anything else is loaded (main.ts
 * imports this module first).
 *
 * 1. No allocation-site pretenuring.
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
 * 2. A heap growing factor of 2 instead of V8's up to 4. A printing printer's values (sensor
 * readings, clocks, progress) are kept until its next message replaces them, up to a second, and
 * the fan-out holds readings for up to a second: with a 2 MB young generation that is long enough
 * for a steady trickle of them to be promoted and die in the old generation (~0.7 MB/s for 100
 * Klipper printers at 4 Hz). After a full collection V8 let the old generation grow to four times
 * what survived (24 MB live → 96 MB), so RSS swung between 120 and 190 MB. At 2 it stays near
 * 130 MB; at 1.5 it was a little lower, but a busy API (thousands of requests a second, all garbage)
 * then spent so much time in full collections that the api bench lost a fifth of its throughput.
 *
 * Whoever starts node with either flag keeps their choice.
 */
import { setFlagsFromString } from 'node:v8';

const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
const explicit = (flag: string): boolean => given.some((arg) => arg.includes(flag));
if (!explicit('allocation-site-pretenuring')) setFlagsFromString('--no-allocation-site-pretenuring');
if (!explicit('heap-growing-percent')) setFlagsFromString('--heap-growing-percent=100');
