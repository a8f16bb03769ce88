import { randomBytes } from 'node:crypto';

import { unixSeconds } from './cc-model.js';
import { isJsonObject, type JsonObject } from './json.js';

/**
 * The SDCP v3 envelopes as the Centauri Carbon sends them (protocols.md §4.1; shapes of the fw
 * 1.1.29 captures and the cbd-tech spec): status and attributes carry their object at the top
 * level next to MainboardID/TimeStamp/Topic; responses, errors and notices wrap theirs in `Data`.
 */

/** A 32-hex-digit id like the ones the printer puts in `Id`. */
export function hexId(): string {
  return randomBytes(16).toString('hex');
}

export function statusMessage(mainboardId: string, status: JsonObject): JsonObject {
  return { Status: status, MainboardID: mainboardId, TimeStamp: unixSeconds(), Topic: `sdcp/status/${mainboardId}` };
}

export function attributesMessage(mainboardId: string, attributes: JsonObject): JsonObject {
  return { Attributes: attributes, MainboardID: mainboardId, TimeStamp: unixSeconds(), Topic: `sdcp/attributes/${mainboardId}` };
}

export function responseMessage(mainboardId: string, cmd: number, requestId: string, data: JsonObject): JsonObject {
  return {
    Id: hexId(),
    Data: { Cmd: cmd, Data: data, RequestID: requestId, MainboardID: mainboardId, TimeStamp: unixSeconds() },
    Topic: `sdcp/response/${mainboardId}`,
  };
}

/** `sdcp/error`: `ErrorCode` 1 = MD5 check failed, 2 = file format (protocols.md §4.5). */
export function errorMessage(mainboardId: string, errorCode: number): JsonObject {
  return {
    Id: hexId(),
    Data: { Data: { ErrorCode: errorCode }, MainboardID: mainboardId, TimeStamp: unixSeconds() },
    Topic: `sdcp/error/${mainboardId}`,
  };
}

export function noticeMessage(mainboardId: string, message: string, type: number): JsonObject {
  return {
    Id: hexId(),
    Data: { Data: { Message: message, Type: type }, MainboardID: mainboardId, TimeStamp: unixSeconds() },
    Topic: `sdcp/notice/${mainboardId}`,
  };
}

export interface SdcpRequest {
  cmd: number;
  data: JsonObject;
  requestId: string;
  /** Empty when the client does not know it (the CC web UI sends ""). */
  mainboardId: string;
}

/**
 * A request as a client sends it: `{Id, Data:{Cmd, Data, RequestID, MainboardID, TimeStamp, From}, Topic}`.
 * `Topic`, `Id`, `From`, `TimeStamp` and `MainboardID` may be missing or empty (the CC web UI omits
 * Topic and sends From 1 with an empty MainboardID). Null when it is not a request.
 */
export function parseRequest(message: unknown): SdcpRequest | null {
  if (!isJsonObject(message)) return null;
  const topic = message['Topic'];
  if (topic !== undefined && (typeof topic !== 'string' || !topic.startsWith('sdcp/request'))) return null;
  const outer = message['Data'];
  if (!isJsonObject(outer)) return null;
  const cmd = outer['Cmd'];
  if (typeof cmd !== 'number' || !Number.isInteger(cmd)) return null;
  const data = outer['Data'];
  const requestId = outer['RequestID'];
  const mainboardId = outer['MainboardID'];
  return {
    cmd,
    data: isJsonObject(data) ? data : {},
    requestId: typeof requestId === 'string' ? requestId : '',
    mainboardId: typeof mainboardId === 'string' ? mainboardId : '',
  };
}

/** `POST /uploadFile/upload` replies (protocols.md §4.5). */
export const UPLOAD_OK: JsonObject = { code: '000000', messages: null, data: {}, success: true };

export function uploadFailure(messages: { field: string; message: string | number }[]): JsonObject {
  return { code: '111111', messages: messages.map((m) => ({ field: m.field, message: m.message })), data: null, success: false };
}
