import { api, unwrap } from '@/api/client';

export type PrinterCommand = 'pause' | 'resume' | 'stop';

/** POST /api/printers/{id}/pause|resume|stop; rejects with ApiError carrying the server's detail. */
export function sendPrinterCommand(printerId: number, command: PrinterCommand): Promise<{ success: boolean; message: string }> {
  const params = { params: { path: { printer_id: printerId } } };
  switch (command) {
    case 'pause':
      return unwrap(api.POST('/api/printers/{printer_id}/pause', params));
    case 'resume':
      return unwrap(api.POST('/api/printers/{printer_id}/resume', params));
    case 'stop':
      return unwrap(api.POST('/api/printers/{printer_id}/stop', params));
  }
}
