export type { KlippyState } from './klipper-model.js';
export { MoonrakerSimulator, type MoonrakerSimulatorOptions } from './moonraker-simulator.js';
