import { useQuery } from '@tanstack/react-query';
import { useSession } from '../../../session/session.ts';
import { clinicianOptions } from './queries.ts';

/** The signed-in clinician's name once read (shared cache with the header), else undefined. */
export function useClinicianName(): string | undefined {
  return useQuery(clinicianOptions(useSession())).data;
}
