import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';

import { api, unwrap } from '@/api/client';
import { errorText } from '@/api/error-text';
import type { ResponseOf } from '@/api/types';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field, Input } from '@/components/ui/field';
import { ErrorState, Spinner } from '@/components/ui/states';
import { useToast } from '@/components/ui/toast';
import { useI18n, useT } from '@/i18n';

import { FormError, SectionHeader } from './section';

type Config = ResponseOf<'/api/config', 'get'>;
const KEYS: (keyof Config)[] = ['timezone', 'blackout_start', 'blackout_end', 'spoolman_url'];
const URL_PATTERN = /^https?:\/\/\S+$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Every IANA zone this browser knows, plus the saved one (a server may know names the browser does not). */
function timeZones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set(['UTC', ...known, current])].filter(Boolean).sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
}

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function GeneralForm({ saved }: { saved: Config }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Config>(saved);
  const [quiet, setQuiet] = useState(saved.blackout_start !== '' && saved.blackout_end !== '');
  const zones = useMemo(() => timeZones(saved.timezone), [saved.timezone]);
  const here = browserZone();

  // Quiet hours off means both times empty; the server refuses only one of them.
  const effective: Config = quiet ? draft : { ...draft, blackout_start: '', blackout_end: '' };
  const changed = KEYS.filter((key) => effective[key] !== saved[key]);
  const problems = {
    quiet: quiet && (!TIME.test(draft.blackout_start) || !TIME.test(draft.blackout_end)) ? t('settings.general.quietIncomplete') : null,
    spoolman: draft.spoolman_url !== '' && !URL_PATTERN.test(draft.spoolman_url) ? t('settings.general.spoolmanInvalid') : null,
  };
  const blocked = Boolean(problems.quiet || problems.spoolman);

  const now = useMemo(() => {
    try {
      return new Intl.DateTimeFormat(locale, { timeZone: draft.timezone, timeStyle: 'short', dateStyle: 'medium' }).format(new Date());
    } catch {
      return null;
    }
  }, [draft.timezone, locale]);

  const save = useMutation({
    mutationFn: () => {
      const body: Partial<Config> = {};
      for (const key of changed) body[key] = effective[key];
      // Quiet hours are sent as a pair so the server's "both or neither" rule always sees both.
      if (changed.includes('blackout_start') || changed.includes('blackout_end')) {
        body.blackout_start = effective.blackout_start;
        body.blackout_end = effective.blackout_end;
      }
      return unwrap(api.PUT('/api/config', { body }));
    },
    onSuccess: (result) => {
      const next: Config = {
        timezone: result.timezone,
        blackout_start: result.blackout_start,
        blackout_end: result.blackout_end,
        spoolman_url: result.spoolman_url,
      };
      queryClient.setQueryData(['config'], next);
      void queryClient.invalidateQueries({ queryKey: ['config'] });
      setDraft(next);
      toast.success(t('settings.general.saved'));
    },
    onError: (error) => toast.error(t('settings.general.saveFailed', { detail: errorText(error, t) })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!blocked && changed.length > 0) save.mutate();
  }

  return (
    <form method="post" onSubmit={submit} className="space-y-4" noValidate>
      <Card className="space-y-4 p-4 sm:p-5">
        <h3 className="font-semibold">{t('settings.general.timeTitle')}</h3>
        <Field
          label={t('settings.general.timezone')}
          hint={now ? t('settings.general.timezoneNow', { time: now }) : t('settings.general.timezoneHint')}
        >
          {(id) => (
            <div className="flex flex-col gap-2 sm:flex-row">
              <select
                id={id}
                value={draft.timezone}
                onChange={(event) => setDraft({ ...draft, timezone: event.target.value })}
                className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand focus:outline-none focus:ring-2 focus:ring-brand/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100"
              >
                {zones.map((zone) => (
                  <option key={zone} value={zone}>
                    {zone.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
              {here && here !== draft.timezone ? (
                <Button className="sm:w-auto" onClick={() => setDraft({ ...draft, timezone: here })}>
                  {t('settings.general.useBrowserZone', { zone: here.replace(/_/g, ' ') })}
                </Button>
              ) : null}
            </div>
          )}
        </Field>
      </Card>

      <Card className="space-y-4 p-4 sm:p-5">
        <div>
          <h3 className="font-semibold">{t('settings.general.quietTitle')}</h3>
          <p className="text-sm text-slate-500 dark:text-slate-400">{t('settings.general.quietHint')}</p>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4 accent-[var(--odin-primary)]"
            checked={quiet}
            onChange={(event) => {
              setQuiet(event.target.checked);
              if (event.target.checked && !draft.blackout_start && !draft.blackout_end)
                setDraft({ ...draft, blackout_start: '22:00', blackout_end: '06:00' });
            }}
          />
          {t('settings.general.quietOn')}
        </label>
        {quiet ? (
          <div className="grid max-w-md grid-cols-2 gap-4">
            <Field label={t('settings.general.quietFrom')}>
              {(id) => (
                <Input
                  id={id}
                  type="time"
                  value={draft.blackout_start}
                  onChange={(event) => setDraft({ ...draft, blackout_start: event.target.value })}
                />
              )}
            </Field>
            <Field label={t('settings.general.quietUntil')}>
              {(id) => (
                <Input
                  id={id}
                  type="time"
                  value={draft.blackout_end}
                  onChange={(event) => setDraft({ ...draft, blackout_end: event.target.value })}
                />
              )}
            </Field>
          </div>
        ) : null}
        {quiet && draft.blackout_start && draft.blackout_end && draft.blackout_start > draft.blackout_end ? (
          <p className="text-xs text-slate-500 dark:text-slate-400">
            {t('settings.general.quietOvernight', { from: draft.blackout_start, until: draft.blackout_end })}
          </p>
        ) : null}
        {problems.quiet ? <FormError>{problems.quiet}</FormError> : null}
      </Card>

      <Card className="space-y-4 p-4 sm:p-5">
        <h3 className="font-semibold">{t('settings.general.integrationsTitle')}</h3>
        <Field label={t('settings.general.spoolman')} hint={t('settings.general.spoolmanHint')} error={problems.spoolman}>
          {(id) => (
            <Input
              id={id}
              type="url"
              inputMode="url"
              placeholder="http://spoolman.local:7912"
              maxLength={2048}
              value={draft.spoolman_url}
              onChange={(event) => setDraft({ ...draft, spoolman_url: event.target.value.trim() })}
            />
          )}
        </Field>
      </Card>

      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        {changed.length > 0 ? (
          <Button
            onClick={() => {
              setDraft(saved);
              setQuiet(saved.blackout_start !== '' && saved.blackout_end !== '');
            }}
          >
            {t('settings.general.discard')}
          </Button>
        ) : null}
        <Button type="submit" variant="primary" busy={save.isPending} disabled={blocked || changed.length === 0}>
          {t('common.actions.save')}
        </Button>
      </div>
    </form>
  );
}

export function GeneralSection() {
  const t = useT();
  const config = useQuery({ queryKey: ['config'], queryFn: () => unwrap(api.GET('/api/config')) });
  return (
    <div>
      <SectionHeader title={t('settings.general.title')} description={t('settings.general.description')} />
      {config.isPending ? (
        <Spinner />
      ) : config.isError ? (
        <ErrorState error={config.error} onRetry={() => void config.refetch()} />
      ) : (
        <GeneralForm key={JSON.stringify(config.data)} saved={config.data} />
      )}
    </div>
  );
}
