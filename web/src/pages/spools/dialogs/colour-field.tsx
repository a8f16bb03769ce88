import { Swatch } from '@/components/inventory/swatch';
import { Field, Input } from '@/components/ui/field';
import { useT } from '@/i18n';
import { cssColor } from '@/lib/format';

/** A colour typed as people know it (#FF6A13, orange…) or picked; the server reads every notation. */
export function ColourField({
  label,
  hint,
  value,
  onChange,
  placeholder,
  name,
}: {
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  name: string;
}) {
  const t = useT();
  const hex = cssColor(value.trim())?.slice(0, 7) ?? null;
  return (
    <Field label={label} hint={hint}>
      {(id) => (
        <div className="flex items-center gap-2">
          <Swatch color={hex} size="md" />
          <Input
            id={id}
            name={name}
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            placeholder={placeholder ?? '#FF6A13'}
            value={value}
            onChange={(event) => onChange(event.target.value)}
          />
          <input
            type="color"
            aria-label={t('inventory.spools.fields.colourPicker')}
            title={t('inventory.spools.fields.colourPicker')}
            value={hex ?? '#888888'}
            onChange={(event) => onChange(event.target.value.toUpperCase())}
            className="h-9 w-10 shrink-0 cursor-pointer rounded-md border border-slate-300 bg-white p-1 dark:border-slate-700 dark:bg-slate-950"
          />
        </div>
      )}
    </Field>
  );
}
