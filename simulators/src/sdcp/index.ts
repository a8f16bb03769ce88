export type { StoredFile } from './cc-model.js';
export { TINY_JPEG } from './mjpeg.js';
export { SdcpSimulator, type SdcpSimulatorOptions } from './sdcp-simulator.js';
export type { TransferRecord } from './transfers.js';
