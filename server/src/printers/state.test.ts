import { describe, expect, it } from 'vitest';

import { type AmsUnit, diffState, foldState, offlineState, type PrinterState } from './state.js';

const unit = (remain: number): AmsUnit => ({
  id: 0,
  humidity: null,
  humidity_index: 4,
  temperature: 24.5,
  trays: [
    { slot: 0, tray_id: 0, empty: false, type: 'PLA', color: 'FF0000FF', remain, tag_uid: null, tray_uuid: null, filament_id: 'GFA00' },
  ],
});

function state(changes: Partial<PrinterState>): PrinterState {
  return { ...offlineState(), ...changes };
}

describe('diffState', () => {
  it('compares arrays and objects by content, whatever their key order', () => {
    const before = state({ ams: [unit(80)], hms_errors: [{ code: '0300_0100_0001_0007', severity: 'common', message: 'x' }] });
    const reordered = { message: 'x', severity: 'common', code: '0300_0100_0001_0007' } as const;
    expect(diffState(before, { ams: [unit(80)], hms_errors: [reordered] })).toBeNull();
    expect(diffState(before, { ams: [unit(79)] })).toEqual({ ams: [unit(79)] });
    expect(diffState(before, { ams: [unit(80), unit(80)] })).not.toBeNull();
    expect(diffState(before, { hms_errors: [] })).toEqual({ hms_errors: [] });
    expect(diffState(before, { ams: null })).toEqual({ ams: null });
    expect(diffState(state({ external_tray: null }), { external_tray: unit(1).trays[0] ?? null })).not.toBeNull();
  });

  it('counts an undefined property as missing, as JSON would, and NaN as equal to NaN', () => {
    const tray = unit(5).trays[0];
    expect(tray).toBeDefined();
    const withUndefined = { ...tray, extra: undefined } as unknown as NonNullable<PrinterState['external_tray']>;
    expect(diffState(state({ external_tray: tray ?? null }), { external_tray: withUndefined })).toBeNull();
    expect(diffState(state({ progress: Number.NaN }), { progress: Number.NaN })).toBeNull();
    expect(diffState(state({ progress: 1 }), { progress: 2, nozzle_temp: undefined })).toEqual({ progress: 2 });
  });
});

describe('foldState', () => {
  it('emits the whole first state, then only changes, folded into one object kept per session', () => {
    const first = state({ status: 'printing', online: true, bed_temp: 60, ams: [unit(80)] });
    const one = foldState(null, first);
    expect(one.patch).toEqual(first);
    expect(one.patch).not.toBe(first);
    expect(one.state).toBe(first);

    const amsBefore = one.state.ams;
    const two = foldState(one.state, state({ status: 'printing', online: true, bed_temp: 60.4, ams: [unit(80)] }));
    expect(two.patch).toEqual({ bed_temp: 60.4 });
    expect(two.state).toBe(first); // the same object, brought up to date
    expect(two.state.bed_temp).toBe(60.4);
    expect(two.state.ams).toBe(amsBefore); // unchanged content: the new array was not kept

    const three = foldState(two.state, { ...two.state });
    expect(three.patch).toBeNull();
    expect(three.state).toBe(first);
  });
});
