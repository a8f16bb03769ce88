export type { TrayInput } from './ams.js';
export { BambuSimulator, type BambuSimulatorOptions } from './bambu-simulator.js';
export { createSimulatorCa, type SimulatorCa } from './certs.js';
export { BAMBU_MODELS, type BambuModel } from './models.js';
export { type BambuJob, CANCELLED_PRINT_ERROR, type GcodeState } from './printer.js';
