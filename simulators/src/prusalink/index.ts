export type {
  PrusaLinkAuth,
  PrusaLinkFirmware,
  PrusaLinkPrinterState,
  PrusaLinkSimulatorOptions,
  PrusaLinkSimulatorStats,
  PrusaLinkUploadRecord,
} from './prusalink-simulator.js';
export { PrusaLinkSimulator } from './prusalink-simulator.js';
