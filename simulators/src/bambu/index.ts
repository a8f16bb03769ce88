export { BambuSimulator, type BambuSimulatorOptions } from './bambu-simulator.js';
export { createSimulatorCa, type SimulatorCa } from './certs.js';
export { BAMBU_MODELS, type BambuModel } from './models.js';
export { CANCELLED_PRINT_ERROR, type BambuJob, type GcodeState } from './printer.js';
export type { TrayInput } from './ams.js';
