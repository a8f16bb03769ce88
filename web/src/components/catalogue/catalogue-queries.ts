import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

import { api, unwrap } from '@/api/client';
import type { BodyOf, ResponseOf } from '@/api/types';

export type PrintFile = ResponseOf<'/api/print-files', 'get'>[number];
export type PrintFileDetail = ResponseOf<'/api/print-files/{file_id}', 'get'>;
export type FileFilament = PrintFile['filaments'][number];
export type Plate = PrintFile['plates'][number];
export type Model = ResponseOf<'/api/models/{model_id}', 'get'>;
export type ModelWithPricing = ResponseOf<'/api/models-with-pricing', 'get'>[number];
export type CostBreakdown = ResponseOf<'/api/pricing/calculate', 'post'>;
export type CostInput = BodyOf<'/api/pricing/calculate', 'post'>;
export type PricingConfig = ResponseOf<'/api/pricing-config', 'get'>;
export type ModelBody = BodyOf<'/api/models', 'post'>;
export type ModelPatch = BodyOf<'/api/models/{model_id}', 'patch'>;
export type Requirement = Model['color_requirements'][string];

/**
 * Query keys of the catalogue. Files start with 'print-files', models with 'models', so one change
 * refreshes every view of it. Costs depend on the pricing configuration: saving it refreshes 'models' too.
 */
export const catalogueKeys = {
  files: ['print-files'] as const,
  fileList: ['print-files', 'list'] as const,
  file: (id: number) => ['print-files', 'detail', id] as const,
  fileMesh: (id: number) => ['print-files', 'mesh', id] as const,
  models: ['models'] as const,
  modelList: ['models', 'with-pricing'] as const,
  model: (id: number) => ['models', 'detail', id] as const,
  modelVariants: (id: number) => ['models', 'variants', id] as const,
  modelCost: (id: number) => ['models', 'cost', id] as const,
  modelMesh: (id: number) => ['models', 'mesh', id] as const,
  pricing: ['pricing-config'] as const,
};

export function usePrintFiles() {
  return useQuery({ queryKey: catalogueKeys.fileList, queryFn: () => unwrap(api.GET('/api/print-files')) });
}

export function usePrintFile(id: number) {
  return useQuery({
    queryKey: catalogueKeys.file(id),
    queryFn: () => unwrap(api.GET('/api/print-files/{file_id}', { params: { path: { file_id: id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useModelsWithPricing() {
  return useQuery({ queryKey: catalogueKeys.modelList, queryFn: () => unwrap(api.GET('/api/models-with-pricing')) });
}

export function useModel(id: number) {
  return useQuery({
    queryKey: catalogueKeys.model(id),
    queryFn: () => unwrap(api.GET('/api/models/{model_id}', { params: { path: { model_id: id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useModelVariants(id: number) {
  return useQuery({
    queryKey: catalogueKeys.modelVariants(id),
    queryFn: () => unwrap(api.GET('/api/models/{model_id}/variants', { params: { path: { model_id: id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function useModelCost(id: number) {
  return useQuery({
    queryKey: catalogueKeys.modelCost(id),
    queryFn: () => unwrap(api.GET('/api/models/{model_id}/cost', { params: { path: { model_id: id } } })),
    enabled: Number.isInteger(id) && id > 0,
  });
}

export function usePricingConfig() {
  return useQuery({ queryKey: catalogueKeys.pricing, queryFn: () => unwrap(api.GET('/api/pricing-config')), staleTime: 60_000 });
}

/** After a file or model changed: every list and detail of both (a file's model and a model's variants move together). */
export function useCatalogueRefresh() {
  const queryClient = useQueryClient();
  return useCallback(() => {
    void queryClient.invalidateQueries({ queryKey: catalogueKeys.files });
    void queryClient.invalidateQueries({ queryKey: catalogueKeys.models });
  }, [queryClient]);
}

/** The name a model made from a file starts with: the project's name, else the file name without its extension. */
export function suggestedModelName(file: Pick<PrintFile, 'project_name' | 'original_filename'>): string {
  const project = file.project_name?.trim();
  if (project) return project.slice(0, 200);
  return (
    file.original_filename
      .replace(/\.(gcode\.3mf|3mf|gcode|bgcode|gco|g)$/i, '')
      .replace(/[_]+/g, ' ')
      .trim()
      .slice(0, 200) || file.original_filename.slice(0, 200)
  );
}
