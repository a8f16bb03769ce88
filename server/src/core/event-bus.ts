import { EventEmitter } from 'node:events';

/**
 * A typed publish/subscribe bus. `Events` maps each event name to its payload type; the
 * application's map lives outside core (`src/events.ts`), so core knows no domain types.
 *
 * Contract for every implementation (in-process today, Redis or NATS later):
 * - `emit` never blocks on and never fails because of a listener;
 * - listeners of one event see payloads in emit order, but may run later than `emit` returns;
 * - a listener that throws is reported through the implementation's error hook, never to the emitter.
 */
export interface EventBus<Events extends object> {
  /** Subscribes; the returned function unsubscribes. */
  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void;
  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void;
}

/**
 * The bus for a single server process: listeners run synchronously in the emitter's turn, so they
 * must be quick (queue slow work) and must not throw (an exception is caught and reported).
 */
export class InProcessEventBus<Events extends object> implements EventBus<Events> {
  readonly #emitter = new EventEmitter();

  constructor(private readonly onListenerError: (event: string, error: unknown) => void = () => {}) {
    this.#emitter.setMaxListeners(0);
  }

  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void): () => void {
    const safe = (payload: Events[K]) => {
      try {
        listener(payload);
      } catch (error) {
        this.onListenerError(event, error);
      }
    };
    this.#emitter.on(event, safe);
    return () => this.#emitter.off(event, safe);
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.#emitter.emit(event, payload);
  }
}
