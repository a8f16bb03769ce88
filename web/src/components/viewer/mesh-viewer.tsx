import { useQuery } from '@tanstack/react-query';
import { Box, Loader2, RotateCcw } from 'lucide-react';
import { useEffect, useEffectEvent, useRef, useState } from 'react';

import { ApiError, rawFetch } from '@/api/client';
import { errorText } from '@/api/error-text';
import { formatUpTo } from '@/components/catalogue/catalogue-format';
import { Button } from '@/components/ui/button';
import { cn } from '@/components/ui/cn';
import { useI18n } from '@/i18n';
import { useTheme } from '@/lib/theme';

import { boundsSize, type DecodedMesh, decodeMesh, MeshDataError, type MeshReply } from './mesh-data';
import type { PreviewScene, SceneColours } from './three-scene';

/** The colours of the plate and object per theme; the object takes the file's first filament colour when it has one. */
function coloursFor(theme: 'light' | 'dark', meshColor: string | null): SceneColours {
  const brand = getComputedStyle(document.documentElement).getPropertyValue('--odin-primary').trim() || '#f59e0b';
  return theme === 'dark'
    ? { mesh: meshColor ?? brand, edge: '#020617', grid: '#334155', gridCentre: '#64748b' }
    : { mesh: meshColor ?? brand, edge: '#334155', grid: '#cbd5e1', gridCentre: '#94a3b8' };
}

type Failure = { kind: 'webgl' } | { kind: 'error'; detail: string };

function MeshFacts({ mesh }: { mesh: DecodedMesh }) {
  const { t, locale } = useI18n();
  const [x, y, z] = boundsSize(mesh.bounds);
  return (
    <p className="text-xs text-slate-500 tabular dark:text-slate-400" data-testid="mesh-facts">
      {t('catalogue.units.size', { x: formatUpTo(x, locale, 1), y: formatUpTo(y, locale, 1), z: formatUpTo(z, locale, 1) })}
      {' · '}
      {t('catalogue.viewer.triangles', { count: mesh.triangleCount })}
      {mesh.decimated ? ` (${t('catalogue.viewer.decimated')})` : ''}
    </p>
  );
}

/**
 * The drawing: three.js is imported when this mounts (its own chunk), the scene is built on the
 * host element and disposed with all its GPU resources when it unmounts. Without WebGL the size and
 * triangle count are shown instead.
 */
function Canvas3d({ mesh, name, meshColor }: { mesh: DecodedMesh; name: string; meshColor: string | null }) {
  const { t, locale } = useI18n();
  const { theme } = useTheme();
  const host = useRef<HTMLDivElement>(null);
  const scene = useRef<PreviewScene | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [ready, setReady] = useState(false);
  const colours = useEffectEvent(() => coloursFor(theme, meshColor));

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let disposed = false;
    import('./three-scene').then(
      (three) => {
        if (disposed) return;
        if (!three.webglAvailable()) {
          setFailure({ kind: 'webgl' });
          return;
        }
        try {
          scene.current = three.createPreview(element, mesh, colours());
          setReady(true);
        } catch {
          setFailure({ kind: 'webgl' });
        }
      },
      (error: unknown) => {
        if (!disposed) setFailure({ kind: 'error', detail: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      disposed = true;
      scene.current?.dispose();
      scene.current = null;
    };
  }, [mesh]);

  useEffect(() => {
    scene.current?.setColours(coloursFor(theme, meshColor));
  }, [theme, meshColor, ready]);

  const [x, y, z] = boundsSize(mesh.bounds);
  const size = t('catalogue.units.size', { x: formatUpTo(x, locale, 1), y: formatUpTo(y, locale, 1), z: formatUpTo(z, locale, 1) });
  const triangles = t('catalogue.viewer.triangles', { count: mesh.triangleCount });

  if (failure) {
    return (
      <div
        className="flex aspect-[4/3] flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 bg-slate-50 p-4 text-center dark:border-slate-700 dark:bg-slate-900/60"
        data-testid="mesh-fallback"
      >
        <Box className="size-8 text-slate-400" aria-hidden />
        <p className="max-w-sm text-sm text-slate-600 dark:text-slate-300">
          {failure.kind === 'webgl' ? t('catalogue.viewer.noWebgl') : t('catalogue.viewer.failed', { detail: failure.detail })}
        </p>
        <p className="text-base font-semibold tabular">{size}</p>
        <p className="text-sm text-slate-500 tabular dark:text-slate-400">
          {triangles}
          {mesh.decimated ? ` (${t('catalogue.viewer.decimated')})` : ''}
        </p>
      </div>
    );
  }

  return (
    <div className="space-y-2">
      <div className="relative aspect-[4/3] overflow-hidden rounded-lg border border-slate-200 bg-gradient-to-b from-slate-50 to-slate-200/70 dark:border-slate-700 dark:from-slate-800 dark:to-slate-950">
        <div
          ref={host}
          role="img"
          aria-label={t('catalogue.viewer.label', { name, size, triangles })}
          className="absolute inset-0 cursor-grab active:cursor-grabbing"
          data-testid="mesh-canvas"
        />
        {!ready ? (
          <div className="pointer-events-none absolute inset-0 grid place-items-center text-slate-500" role="status">
            <Loader2 className="size-5 animate-spin" aria-hidden />
            <span className="sr-only">{t('catalogue.viewer.loading')}</span>
          </div>
        ) : null}
        <Button
          size="sm"
          variant="secondary"
          className="absolute right-2 top-2 opacity-90"
          onClick={() => scene.current?.resetView()}
          aria-label={t('catalogue.viewer.reset')}
          title={t('catalogue.viewer.reset')}
          disabled={!ready}
        >
          <RotateCcw className="size-4" aria-hidden />
        </Button>
      </div>
      <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        <MeshFacts mesh={mesh} />
        <p className="text-xs text-slate-500 dark:text-slate-400">{t('catalogue.viewer.hint')}</p>
      </div>
    </div>
  );
}

/**
 * The 3D preview of a print file or a model (its main file): the mesh is fetched and decoded once
 * per visit, then drawn. A file without a mesh (plain G-code) says so in words.
 */
export function MeshViewer({
  source,
  name,
  meshColor = null,
  className,
}: {
  source: { file: number } | { model: number };
  name: string;
  meshColor?: string | null;
  className?: string;
}) {
  const { t } = useI18n();
  const isFile = 'file' in source;
  const id = isFile ? source.file : source.model;
  const mesh = useQuery({
    queryKey: isFile ? ['print-files', 'mesh', id] : ['models', 'mesh', id],
    queryFn: async ({ signal }) => {
      const path = isFile ? `/api/print-files/${id}/mesh` : `/api/models/${id}/mesh`;
      const reply = (await (await rawFetch(path, { signal })).json()) as MeshReply;
      return decodeMesh(reply);
    },
    // Meshes are large: dropped soon after the page closes, never refetched while it is open.
    staleTime: Infinity,
    gcTime: 30_000,
    retry: false,
  });

  let body;
  if (mesh.isPending) {
    body = (
      <div className="grid aspect-[4/3] place-items-center rounded-lg border border-slate-200 dark:border-slate-700" role="status">
        <span className="flex items-center gap-2 text-sm text-slate-500 dark:text-slate-400">
          <Loader2 className="size-4 animate-spin" aria-hidden />
          {t('catalogue.viewer.loading')}
        </span>
      </div>
    );
  } else if (mesh.isError) {
    const missing = mesh.error instanceof ApiError && mesh.error.is('mesh_not_available');
    const detail = mesh.error instanceof MeshDataError ? mesh.error.message : errorText(mesh.error, t);
    body = (
      <div
        className="flex aspect-[4/3] flex-col items-center justify-center gap-2 rounded-lg border border-dashed border-slate-300 p-4 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300"
        data-testid="mesh-missing"
      >
        <Box className="size-8 text-slate-400" aria-hidden />
        <p className="max-w-sm">{missing ? t('catalogue.viewer.noMesh') : t('catalogue.viewer.failed', { detail })}</p>
      </div>
    );
  } else {
    body = <Canvas3d key={id} mesh={mesh.data} name={name} meshColor={meshColor} />;
  }
  return <div className={cn('min-w-0', className)}>{body}</div>;
}
