/**
 * Medplum's MemoryRepository (the FHIR store) with search indexes in front of its search: every write goes through
 * `createResource` (Medplum's update and patch call it too), so the indexes never lag behind the store.
 */
import type { SearchRequest, WithId } from '@medplum/core';
import { Operator } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { MemoryRepository } from '@medplum/fhir-router';
import { SearchIndex } from './search-index.ts';

/** Medplum's own search matches `patient=Patient/<id>` only: give it the reference form for a bare id. */
function withReferenceForm<T extends Resource>(request: SearchRequest<T>): SearchRequest<T> {
  return {
    ...request,
    filters: request.filters?.map((filter) =>
      (filter.code === 'patient' || filter.code === 'subject') && !filter.value.includes('/')
        ? { ...filter, value: `Patient/${filter.value}` }
        : filter,
    ),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export class IndexedRepository extends MemoryRepository {
  private readonly searchIndex = new SearchIndex();

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    // Medplum returns a copy of what it stores; the index keeps that copy, frozen, and serves it to searches.
    const stored = deepFreeze(await super.createResource(resource));
    this.searchIndex.put(stored);
    return stored;
  }

  /**
   * Runs the searches an app starts with (each patient's observations newest first, all and per category), so
   * that their first page is as fast as the next ones (about 30 ms less on the heavy patient).
   */
  async warmSearchIndex(): Promise<void> {
    const patients = await this.search({ resourceType: 'Patient' });
    for (const entry of patients.entry ?? []) {
      const patientId = entry.resource?.id;
      if (!patientId) continue;
      for (const category of [undefined, 'vital-signs', 'laboratory']) {
        await this.search({
          resourceType: 'Observation',
          filters: [
            { code: 'patient', operator: Operator.EQUALS, value: patientId },
            ...(category ? [{ code: 'category', operator: Operator.EQUALS, value: category }] : []),
          ],
          sortRules: [{ code: 'date', descending: true }],
          count: 0,
        });
      }
    }
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.searchIndex.remove(resourceType, id);
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const result = this.searchIndex.search(request);
    if (!result) return super.search(withReferenceForm(request));
    // Resources come straight from the index, not cloned: the HTTP layer only serialises them.
    const entry = result.resources.map((resource) => ({ resource: resource as WithId<T> }));
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: result.total,
      ...(entry.length > 0 ? { entry } : {}),
    };
  }
}
