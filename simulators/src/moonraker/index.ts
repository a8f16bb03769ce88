export { MoonrakerSimulator, type MoonrakerSimulatorOptions } from './moonraker-simulator.js';
export type { KlippyState } from './klipper-model.js';
