export { discoverSdcpPrinters, parseDiscoveryReply, SDCP_DISCOVERY_PORT, type SdcpDiscoveredPrinter } from './discovery.js';
export { SDCP_DEFAULT_PORT } from './messages.js';
export { SdcpDriver, toPrinterPath } from './sdcp-driver.js';
export { testSdcpConnection } from './test-connection.js';
