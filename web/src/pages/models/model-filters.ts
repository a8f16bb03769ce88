import type { ModelWithPricing } from '@/components/catalogue/catalogue-queries';

export type ModelView = 'grid' | 'list';
const VIEW_KEY = 'odin.models.view';

export function savedModelView(): ModelView {
  try {
    return localStorage.getItem(VIEW_KEY) === 'list' ? 'list' : 'grid';
  } catch {
    return 'grid';
  }
}

export function saveModelView(view: ModelView): void {
  try {
    localStorage.setItem(VIEW_KEY, view);
  } catch {
    // not remembered; the choice still applies now
  }
}

/** The categories in use, sorted as the user's language sorts them. */
export function modelCategories(models: readonly Pick<ModelWithPricing, 'category'>[]): string[] {
  const names = new Set(models.map((model) => model.category?.trim()).filter((name): name is string => !!name));
  return [...names].sort((a, b) => a.localeCompare(b));
}

/**
 * Models whose name, category, notes or colour materials contain every word typed (any order, any
 * case), in the chosen category; favourites first, then by name.
 */
export function filterModels<T extends Pick<ModelWithPricing, 'name' | 'category' | 'notes' | 'is_favorite' | 'color_requirements'>>(
  models: readonly T[],
  text: string,
  category: string,
): T[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  return models
    .filter((model) => !category || model.category === category)
    .filter((model) => {
      if (words.length === 0) return true;
      const haystack = [
        model.name,
        model.category ?? '',
        model.notes ?? '',
        ...Object.values(model.color_requirements).map((requirement) => requirement.filament_type ?? ''),
      ]
        .join(' ')
        .toLowerCase();
      return words.every((word) => haystack.includes(word));
    })
    .sort((a, b) => Number(b.is_favorite) - Number(a.is_favorite) || a.name.localeCompare(b.name));
}
