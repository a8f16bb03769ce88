import type { ErrorCode } from '../../../core/errors.js';

export type PrintFileErrorCode = Extract<ErrorCode, 'print_file_type_unsupported' | 'print_file_corrupt' | 'print_file_unsafe'>;

/** Why a print file was refused; `code` is one of the API error codes, so routes can pass it on as is. */
export class PrintFileError extends Error {
  constructor(
    readonly code: PrintFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PrintFileError';
  }
}

export const corrupt = (message: string) => new PrintFileError('print_file_corrupt', message);
export const unsafe = (message: string) => new PrintFileError('print_file_unsafe', message);
export const unsupported = (message: string) => new PrintFileError('print_file_type_unsupported', message);
