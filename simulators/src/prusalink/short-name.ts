/**
 * The 8.3 short name FAT gives a long file name, as Buddy firmware reports it in `file.name`
 * (e.g. "benchy.gcode" → "BENCHY~1.GCO"). `taken` holds the short names already in the folder.
 */
export function shortName(displayName: string, taken: ReadonlySet<string>): string {
  const dot = displayName.lastIndexOf('.');
  const stem = dot > 0 ? displayName.slice(0, dot) : displayName;
  const ext = dot > 0 ? displayName.slice(dot + 1) : '';
  const clean = (text: string): string => text.toUpperCase().replace(/[^A-Z0-9!#$%&'()@^_`{}~-]/g, '');
  const base = clean(stem) || 'FILE';
  const suffix = clean(ext).slice(0, 3);
  const fits =
    stem === stem.toUpperCase() &&
    ext === ext.toUpperCase() &&
    clean(stem) === stem &&
    clean(ext) === ext &&
    stem.length <= 8 &&
    ext.length <= 3;
  const join = (name: string): string => (suffix ? `${name}.${suffix}` : name);
  if (fits && !taken.has(join(base))) return join(base);
  for (let n = 1; ; n++) {
    const tail = `~${n}`;
    const candidate = join(base.slice(0, 8 - tail.length) + tail);
    if (!taken.has(candidate)) return candidate;
  }
}
